use super::*;

fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn defaults() {
    let c = Config::from_layers(None, &env(&[("PATH", "/bin")])).unwrap();
    assert_eq!(c.listen.to_string(), "127.0.0.1:9229");
    assert_eq!(c.data_dir, PathBuf::from("./keystep-data"));
    assert_eq!(c.database_url.0, "sqlite://./keystep-data/keystep.db");
    assert_eq!(c.region, "us-east-1");
    assert_eq!(c.account_id, "000000000000");
    assert_eq!(c.public_url, "http://127.0.0.1:9229");
    assert_eq!(
        c.master_key_file,
        PathBuf::from("./keystep-data/master.key")
    );
    assert_eq!(c.master_key, None);
    assert_eq!(c.log, "info");
    assert_eq!(c.log_format, LogFormat::Text);
    assert_eq!(c.max_body_bytes, 1024 * 1024);
    assert!(c.dev_pool);
    assert_eq!(c.purge_interval_secs, 60);
}

#[test]
fn file_overrides_defaults_and_env_overrides_file() {
    let file = r#"
        listen = "0.0.0.0:8080"
        data_dir = "/var/lib/keystep"
        region = "eu-west-1"
        log_format = "json"
        dev_pool = false
    "#;
    let c = Config::from_layers(Some(("k.toml", file)), &env(&[])).unwrap();
    assert_eq!(c.listen.to_string(), "0.0.0.0:8080");
    // Derived defaults follow the layered values.
    assert_eq!(c.database_url.0, "sqlite:///var/lib/keystep/keystep.db");
    assert_eq!(
        c.master_key_file,
        PathBuf::from("/var/lib/keystep/master.key")
    );
    assert_eq!(c.public_url, "http://localhost:8080");
    assert_eq!(c.region, "eu-west-1");
    assert_eq!(c.log_format, LogFormat::Json);
    assert!(!c.dev_pool);

    let c = Config::from_layers(
        Some(("k.toml", file)),
        &env(&[
            ("KEYSTEP_REGION", "ap-south-1"),
            ("KEYSTEP_DATABASE_URL", "postgres://u:p@db/keystep"),
            ("KEYSTEP_PUBLIC_URL", "https://idp.example.com/"),
            ("KEYSTEP_MAX_BODY_BYTES", "4096"),
            ("KEYSTEP_LOG_FORMAT", "text"),
            ("KEYSTEP_ADMIN_ACCESS_KEY_ID", "AKIAEXAMPLE"),
            ("KEYSTEP_ADMIN_SECRET_ACCESS_KEY", "s3cret"),
            ("KEYSTEP_CONFIG", "k.toml"),
        ]),
    )
    .unwrap();
    assert_eq!(c.region, "ap-south-1");
    assert_eq!(c.database_url.0, "postgres://u:p@db/keystep");
    assert!(!c.uses_sqlite());
    assert_eq!(c.public_url, "https://idp.example.com");
    assert_eq!(c.max_body_bytes, 4096);
    assert_eq!(c.log_format, LogFormat::Text);
    assert_eq!(c.listen.to_string(), "0.0.0.0:8080", "file value kept");
    assert_eq!(c.admin_access_key_id.as_deref(), Some("AKIAEXAMPLE"));
    let shown = format!("{c:?}");
    assert!(
        !shown.contains("s3cret") && !shown.contains("u:p@db"),
        "{shown}"
    );
}

#[test]
fn unknown_file_keys_are_errors() {
    let err =
        Config::from_layers(Some(("k.toml", "listne = \"1.2.3.4:1\"")), &env(&[])).unwrap_err();
    match err {
        ConfigError::File { path, message } => {
            assert_eq!(path, "k.toml");
            assert!(message.contains("listne"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        Config::from_layers(Some(("k.toml", "listen = 5")), &env(&[])),
        Err(ConfigError::File { .. })
    ));
}

#[test]
fn unknown_env_variables_are_errors() {
    assert_eq!(
        Config::from_layers(None, &env(&[("KEYSTEP_LISTN", "x")])),
        Err(ConfigError::UnknownEnv("KEYSTEP_LISTN".into()))
    );
    // Variables of other tools are not ours to judge.
    assert!(Config::from_layers(None, &env(&[("KEYSTEPX", "1"), ("AWS_REGION", "x")])).is_ok());
    assert!(Config::from_layers(None, &env(&[("KEYSTEP_TEST_DATABASE_URL", "x")])).is_ok());
}

#[test]
fn invalid_values_name_the_setting() {
    for (key, value) in [
        ("KEYSTEP_LISTEN", "nowhere"),
        ("KEYSTEP_LOG_FORMAT", "xml"),
        ("KEYSTEP_MAX_BODY_BYTES", "-1"),
        ("KEYSTEP_MAX_BODY_BYTES", "10"),
        ("KEYSTEP_PUBLIC_URL", "ftp://x"),
        ("KEYSTEP_ADMIN_ACCESS_KEY_ID", "AKIAONLY"),
        ("KEYSTEP_PURGE_INTERVAL_SECS", "soon"),
        ("KEYSTEP_PURGE_INTERVAL_SECS", "-5"),
        ("KEYSTEP_PURGE_INTERVAL_SECS", "99999999"),
    ] {
        match Config::from_layers(None, &env(&[(key, value)])) {
            Err(ConfigError::Invalid { .. }) => {}
            other => panic!("{key}={value}: {other:?}"),
        }
    }
}

#[test]
fn load_reads_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keystep.toml");
    std::fs::write(&path, "region = \"sa-east-1\"\n").unwrap();
    let c = Config::load(Some(&path), &env(&[])).unwrap();
    assert_eq!(c.region, "sa-east-1");
    assert!(matches!(
        Config::load(Some(&dir.path().join("missing.toml")), &env(&[])),
        Err(ConfigError::Read { .. })
    ));
}

#[test]
fn housekeeping_interval_from_file_and_env() {
    let c = Config::from_layers(Some(("k.toml", "purge_interval_secs = 300")), &env(&[])).unwrap();
    assert_eq!(c.purge_interval_secs, 300);
    let c = Config::from_layers(
        Some(("k.toml", "purge_interval_secs = 300")),
        &env(&[("KEYSTEP_PURGE_INTERVAL_SECS", "0")]),
    )
    .unwrap();
    assert_eq!(c.purge_interval_secs, 0, "0 turns housekeeping off");
}

#[test]
fn trigger_arn_map_from_file_or_env() {
    let file = "[triggers]\nallow_http = true\n[triggers.arn_map]\n\"arn:aws:lambda:us-east-1:1:function:define\" = \"http://hooks:8080/define\"\n";
    let c = Config::from_layers(Some(("k.toml", file)), &env(&[])).unwrap();
    assert!(c.trigger_allow_http);
    assert_eq!(
        c.trigger_arn_map["arn:aws:lambda:us-east-1:1:function:define"],
        "http://hooks:8080/define"
    );
    let c = Config::from_layers(
        Some(("k.toml", file)),
        &env(&[(
            "KEYSTEP_TRIGGERS_ARN_MAP",
            "arn:a:1=https://x/1, arn:b:2=https://x/2",
        )]),
    )
    .unwrap();
    assert_eq!(
        c.trigger_arn_map.len(),
        2,
        "the environment replaces the file's map"
    );
    assert_eq!(c.trigger_arn_map["arn:b:2"], "https://x/2");
    let err =
        Config::from_layers(None, &env(&[("KEYSTEP_TRIGGERS_ARN_MAP", "arn:a:1")])).unwrap_err();
    assert!(matches!(err, ConfigError::Invalid { .. }), "{err}");
    let err = Config::from_layers(
        Some(("k.toml", "[triggers.arn_map]\n\"arn:a\" = \"ftp://x\"\n")),
        &env(&[]),
    )
    .unwrap_err();
    assert!(err.to_string().contains("http://"), "{err}");
}

#[test]
fn plain_http_webhooks_only_on_loopback_unless_allowed() {
    let map = |url: &str| format!("[triggers.arn_map]\n\"arn:a\" = \"{url}\"\n");
    for ok in [
        "https://hooks.example.com/a",
        "http://127.0.0.1:8080/a",
        "http://localhost/a",
    ] {
        let c = Config::from_layers(Some(("k.toml", &map(ok))), &env(&[])).unwrap();
        assert!(!c.trigger_allow_http);
        assert_eq!(c.trigger_arn_map["arn:a"], ok);
    }
    let err =
        Config::from_layers(Some(("k.toml", &map("http://hooks:8080/a"))), &env(&[])).unwrap_err();
    assert!(err.to_string().contains("https://"), "{err}");
    let c = Config::from_layers(
        Some(("k.toml", &map("http://hooks:8080/a"))),
        &env(&[("KEYSTEP_TRIGGERS_ALLOW_HTTP", "true")]),
    )
    .unwrap();
    assert!(c.trigger_allow_http);
}

#[test]
fn limits_default_to_cognitos_and_can_be_set() {
    let c = Config::from_layers(None, &env(&[])).unwrap();
    assert_eq!(c.limits, keystep_core::limits::Limits::default());
    let c = Config::from_layers(
        Some((
            "k.toml",
            "[limits]\ncode_requests_per_hour = 10\nchange_password_per_hour = 3\n",
        )),
        &env(&[("KEYSTEP_LIMITS_CODE_REQUESTS_PER_HOUR", "12")]),
    )
    .unwrap();
    assert_eq!(c.limits.code_requests_per_hour, 12, "the environment wins");
    assert_eq!(c.limits.change_password_per_hour, 3);
    assert_eq!(
        c.limits.code_attempts_per_hour,
        keystep_core::limits::Limits::default().code_attempts_per_hour
    );
    for bad in [
        "[limits]\nsign_in_codes_per_hour = 0\n",
        "[limits]\nno_such = 1\n",
    ] {
        assert!(
            Config::from_layers(Some(("k.toml", bad)), &env(&[])).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn rate_limits_are_off_on_loopback_and_on_elsewhere_by_default() {
    let c = Config::from_layers(None, &env(&[])).unwrap();
    assert_eq!(c.rate_limit, None, "127.0.0.1: development");
    let c = Config::from_layers(None, &env(&[("KEYSTEP_LISTEN", "0.0.0.0:9229")])).unwrap();
    assert_eq!(c.rate_limit, Some((20.0, 40.0)));
    let c = Config::from_layers(
        Some((
            "k.toml",
            "listen = \"0.0.0.0:9229\"\n[rate_limit]\nper_second = 0\n",
        )),
        &env(&[]),
    )
    .unwrap();
    assert_eq!(c.rate_limit, None, "0 turns it off");
    let c = Config::from_layers(
        Some((
            "k.toml",
            "[rate_limit]\nper_second = 5\nburst = 10\nclient_ip_header = \"X-Forwarded-For\"\n",
        )),
        &env(&[("KEYSTEP_RATE_LIMIT_BURST", "12")]),
    )
    .unwrap();
    assert_eq!(c.rate_limit, Some((5.0, 12.0)));
    assert_eq!(c.client_ip_header.as_deref(), Some("x-forwarded-for"));
    for bad in [
        "[rate_limit]\nper_second = -1\n",
        "[rate_limit]\nper_second = 1\nburst = 0\n",
        "[rate_limit]\nclient_ip_header = \"bad header\"\n",
    ] {
        assert!(
            Config::from_layers(Some(("k.toml", bad)), &env(&[])).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn delivery_settings_from_file_and_env() {
    let c = Config::from_layers(None, &env(&[])).unwrap();
    assert_eq!(c.delivery.smtp_url, None);
    assert_eq!(
        c.delivery.outbox,
        keystep_server::bootstrap::OutboxMode::Auto
    );
    assert_eq!(c.delivery.outbox_ttl_secs, 24 * 3600);
    assert!(!c.delivery.has_sender());

    let file = r#"
        smtp_url = "smtps://u:p@mail.example.com:465"
        email_from = "Example <no-reply@example.com>"
        outbox = "on"
        [email_source_arn_map]
        "arn:aws:ses:us-east-1:1:identity/a@example.com" = "smtps://x:y@other.example.com"
        [delivery]
        max_attempts = 3
    "#;
    let c = Config::from_layers(
        Some(("k.toml", file)),
        &env(&[
            ("KEYSTEP_SMS_WEBHOOK_URL", "https://sms.example.com/send"),
            ("KEYSTEP_SMS_WEBHOOK_SECRET", "0123456789abcdef"),
            ("KEYSTEP_DELIVERY_FIRST_RETRY_SECS", "0.5"),
        ]),
    )
    .unwrap();
    let d = &c.delivery;
    assert!(d.has_sender());
    assert_eq!(d.outbox, keystep_server::bootstrap::OutboxMode::On);
    assert_eq!(d.max_attempts, 3);
    assert_eq!(d.first_retry_secs, 0.5);
    assert_eq!(d.email_source_arn_map.len(), 1);
    assert_eq!(
        d.sms_webhook_url.as_deref(),
        Some("https://sms.example.com/send")
    );
    // Secrets never show in the configuration's Debug output.
    let shown = format!("{c:?}");
    assert!(
        !shown.contains("u:p@") && !shown.contains("0123456789abcdef"),
        "{shown}"
    );
}

#[test]
fn delivery_settings_that_cannot_work_are_refused() {
    let key_of = |pairs: &[(&str, &str)]| match Config::from_layers(None, &env(pairs)) {
        Err(ConfigError::Invalid { key, .. }) => key,
        other => panic!("expected an invalid setting, got {other:?}"),
    };
    assert_eq!(
        key_of(&[("KEYSTEP_SMTP_URL", "smtps://mail.example.com")]),
        "email_from"
    );
    assert_eq!(key_of(&[("KEYSTEP_OUTBOX", "off")]), "outbox");
    assert_eq!(key_of(&[("KEYSTEP_OUTBOX", "sometimes")]), "KEYSTEP_OUTBOX");
    assert_eq!(
        key_of(&[
            ("KEYSTEP_SMS_WEBHOOK_URL", "http://sms.example.com/send"),
            ("KEYSTEP_SMS_WEBHOOK_SECRET", "0123456789abcdef"),
        ]),
        "sms_webhook_url"
    );
    assert_eq!(
        key_of(&[
            ("KEYSTEP_SMS_WEBHOOK_URL", "https://sms.example.com/send"),
            ("KEYSTEP_SMS_WEBHOOK_SECRET", "short"),
        ]),
        "sms_webhook_secret"
    );
    assert_eq!(
        key_of(&[("KEYSTEP_DELIVERY_MAX_ATTEMPTS", "0")]),
        "delivery.max_attempts"
    );
    assert_eq!(
        key_of(&[("KEYSTEP_OUTBOX_TTL_SECS", "5")]),
        "outbox_ttl_secs"
    );
    // A loopback SMS webhook over plain HTTP is fine (a local test provider).
    Config::from_layers(
        None,
        &env(&[
            ("KEYSTEP_SMS_WEBHOOK_URL", "http://127.0.0.1:9000/sms"),
            ("KEYSTEP_SMS_WEBHOOK_SECRET", "0123456789abcdef"),
            ("KEYSTEP_OUTBOX", "off"),
        ]),
    )
    .unwrap();
}

#[test]
fn tls_files_go_together_and_make_the_public_url_https() {
    let c = Config::from_layers(
        None,
        &env(&[
            ("KEYSTEP_TLS_CERT", "/etc/keystep/cert.pem"),
            ("KEYSTEP_TLS_KEY", "/etc/keystep/key.pem"),
            ("KEYSTEP_LISTEN", "0.0.0.0:8443"),
        ]),
    )
    .unwrap();
    assert_eq!(
        c.tls,
        Some((
            PathBuf::from("/etc/keystep/cert.pem"),
            PathBuf::from("/etc/keystep/key.pem")
        ))
    );
    assert_eq!(c.public_url, "https://localhost:8443");
    let e = Config::from_layers(None, &env(&[("KEYSTEP_TLS_CERT", "/c.pem")])).unwrap_err();
    assert!(matches!(e, ConfigError::Invalid { key, .. } if key == "tls_cert"));
}

#[test]
fn sqlite_synchronous_full_rides_on_the_sqlite_url() {
    let c = Config::from_layers(None, &env(&[("KEYSTEP_SQLITE_SYNCHRONOUS", "full")])).unwrap();
    assert_eq!(
        c.database_url.0,
        "sqlite://./keystep-data/keystep.db?synchronous=full"
    );
    let normal =
        Config::from_layers(None, &env(&[("KEYSTEP_SQLITE_SYNCHRONOUS", "normal")])).unwrap();
    assert_eq!(normal.database_url.0, "sqlite://./keystep-data/keystep.db");
    let pg = Config::from_layers(
        None,
        &env(&[
            ("KEYSTEP_SQLITE_SYNCHRONOUS", "full"),
            ("KEYSTEP_DATABASE_URL", "postgres://db/keystep"),
        ]),
    );
    assert!(matches!(pg, Err(ConfigError::Invalid { key, .. }) if key == "sqlite_synchronous"));
    let bad = Config::from_layers(None, &env(&[("KEYSTEP_SQLITE_SYNCHRONOUS", "off")]));
    assert!(bad.is_err());
}
