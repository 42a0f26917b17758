"""Resource tags on user pools through boto3: TagResource / UntagResource /
ListTagsForResource with the pool's ARN; CreateUserPool's UserPoolTags are the same tags;
the model's limits; unknown ARNs; and concurrent taggers losing nothing."""

import concurrent.futures

import pytest
from botocore.exceptions import ClientError


def error_code(call, **kwargs):
    with pytest.raises(ClientError) as e:
        call(**kwargs)
    return e.value.response["Error"]["Code"]


def test_tags_round_trip_with_the_pool_arn(idp, pools):
    pool = pools(UserPoolTags={"team": "identity"})
    arn = pool["Arn"]
    assert arn.startswith("arn:aws:cognito-idp:") and arn.endswith(f":userpool/{pool['Id']}")
    assert idp.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"team": "identity"}
    idp.tag_resource(ResourceArn=arn, Tags={"env": "prod", "team": "auth"})
    assert idp.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"env": "prod", "team": "auth"}
    described = idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
    assert described["UserPoolTags"] == {"env": "prod", "team": "auth"}
    idp.untag_resource(ResourceArn=arn, TagKeys=["team", "absent"])
    assert idp.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"env": "prod"}


def test_limits_and_unknown_resources(idp, pools):
    pool = pools()
    arn = pool["Arn"]
    assert error_code(idp.tag_resource, ResourceArn=arn,
                      Tags={f"k{i}": "v" for i in range(51)}) == "InvalidParameterException"
    idp.tag_resource(ResourceArn=arn, Tags={f"k{i}": "v" for i in range(50)})
    assert error_code(idp.tag_resource, ResourceArn=arn, Tags={"one-more": "v"}) == "InvalidParameterException"
    assert len(idp.list_tags_for_resource(ResourceArn=arn)["Tags"]) == 50
    assert error_code(idp.tag_resource, ResourceArn=arn, Tags={"bad;key": "v"}) == "InvalidParameterException"
    gone = arn.rsplit("_", 1)[0] + "_Nope12345"
    assert error_code(idp.list_tags_for_resource, ResourceArn=gone) == "ResourceNotFoundException"
    other_account = arn.replace(arn.split(":")[4], "999999999999")
    assert error_code(idp.list_tags_for_resource, ResourceArn=other_account) == "ResourceNotFoundException"
    assert error_code(idp.list_tags_for_resource,
                      ResourceArn="arn:aws:s3:::a-bucket-name") == "ResourceNotFoundException"


def test_concurrent_taggers_lose_nothing(idp, pools):
    arn = pools()["Arn"]

    def tag(i):
        idp.tag_resource(ResourceArn=arn, Tags={f"t{i}": str(i)})

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as ex:
        list(ex.map(tag, range(24)))
    tags = idp.list_tags_for_resource(ResourceArn=arn)["Tags"]
    assert tags == {f"t{i}": str(i) for i in range(24)}
