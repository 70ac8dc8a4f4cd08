"""Reads back what the deploy test created on moto, with the AWS SDK for Python, and prints it as one JSON object.

One process for every read keeps the test's cost down (an AWS CLI call starts a Python interpreter each time).
It also publishes two case events, one for complainants and one for a focal point, and reports what reached the
notifier queue, so the test can check the subscription's filter policy.

Usage: python3 inventory.py <endpoint> <region> <stage>
"""

import json
import sys
import time

import boto3

ENDPOINT, REGION, STAGE = sys.argv[1], sys.argv[2], sys.argv[3]
PREFIX = f"cfm-{STAGE}-"


def client(service: str):
    return boto3.client(
        service,
        region_name=REGION,
        endpoint_url=ENDPOINT,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


out: dict = {}

table = client("dynamodb").describe_table(TableName=f"{PREFIX}cases")["Table"]
out["table"] = {
    "status": table["TableStatus"],
    "indexes": sorted(i["IndexName"] for i in table.get("GlobalSecondaryIndexes", [])),
    "stream": table.get("StreamSpecification"),
    "streamArn": table.get("LatestStreamArn"),
}

sns = client("sns")
topic_arn = next(t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith(f":{PREFIX}case-events"))
out["topic"] = {"arn": topic_arn, "kmsKey": sns.get_topic_attributes(TopicArn=topic_arn)["Attributes"].get("KmsMasterKeyId")}

sqs = client("sqs")
queues = {}
for url in sqs.list_queues(QueueNamePrefix=PREFIX).get("QueueUrls", []):
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    queues[url.rsplit("/", 1)[-1]] = {"redrivePolicy": json.loads(attributes["RedrivePolicy"]) if "RedrivePolicy" in attributes else None}
out["queues"] = queues

cognito = client("cognito-idp")
pool = next(p for p in cognito.list_user_pools(MaxResults=60)["UserPools"] if p["Name"] == f"{PREFIX}staff")
out["userPool"] = {
    "id": pool["Id"],
    "groups": sorted(g["GroupName"] for g in cognito.list_groups(UserPoolId=pool["Id"])["Groups"]),
    "clients": sorted(c["ClientName"] for c in cognito.list_user_pool_clients(UserPoolId=pool["Id"], MaxResults=60)["UserPoolClients"]),
}

lam = client("lambda")
out["functions"] = sorted(f["FunctionName"] for f in lam.list_functions()["Functions"] if f["FunctionName"].startswith(PREFIX))
out["eventSourceMappings"] = [
    {"function": m["FunctionArn"].rsplit(":", 1)[-1], "source": m["EventSourceArn"]}
    for m in lam.list_event_source_mappings()["EventSourceMappings"]
]

api_client = client("apigatewayv2")
api = next(a for a in api_client.get_apis()["Items"] if a["Name"] == f"{PREFIX}api")
routes = api_client.get_routes(ApiId=api["ApiId"])["Items"]
authorizers = {}
for authorizer_id in {r["AuthorizerId"] for r in routes if r.get("AuthorizerId")}:
    a = api_client.get_authorizer(ApiId=api["ApiId"], AuthorizerId=authorizer_id)
    authorizers[authorizer_id] = {"type": a["AuthorizerType"], "issuer": a["JwtConfiguration"]["Issuer"]}
out["api"] = {
    "routes": [
        {"key": r["RouteKey"], "authorization": r.get("AuthorizationType", "NONE"), "authorizerId": r.get("AuthorizerId")}
        for r in routes
    ],
    "authorizers": authorizers,
    "stages": [
        {"name": s["StageName"], "routeSettings": s.get("RouteSettings", {})}
        for s in api_client.get_stages(ApiId=api["ApiId"])["Items"]
    ],
}

out["alarms"] = [
    {"name": a["AlarmName"], "actions": a["AlarmActions"]}
    for a in client("cloudwatch").describe_alarms(AlarmNamePrefix=PREFIX, MaxRecords=100)["MetricAlarms"]
]

scheduler = client("scheduler")
out["schedules"] = {
    s["Name"]: scheduler.get_schedule(Name=s["Name"])["Target"].get("DeadLetterConfig", {}).get("Arn")
    for s in scheduler.list_schedules()["Schedules"]
    if s["Name"].startswith(PREFIX)
}

# The subscription's filter policy at work: only the complainant event may reach the notifier queue.
for audience in ("complainant", "focal-point"):
    sns.publish(
        TopicArn=topic_arn,
        Message=json.dumps({"audience": audience}),
        MessageAttributes={"audience": {"DataType": "String", "StringValue": audience}},
    )
notifier_url = sqs.get_queue_url(QueueName=f"{PREFIX}notifier")["QueueUrl"]
received: list[str] = []
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    # Wait for the first message, then once more for anything that should not have come.
    batch = sqs.receive_message(QueueUrl=notifier_url, MaxNumberOfMessages=10, WaitTimeSeconds=2).get("Messages", [])
    received += [m["Body"] for m in batch]
    if received and not batch:
        break
out["notifierReceived"] = received

print(json.dumps(out))
