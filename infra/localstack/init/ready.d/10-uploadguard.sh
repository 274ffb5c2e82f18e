#!/bin/bash
# LocalStack init hook (ready.d): creates what the CDK stack (infra/cdk) creates in AWS, with the
# same names and settings: the upload bucket (public access blocked, SSE-S3, bucket-owner-enforced
# ownership, CORS for presigned PUTs, lifecycle rules), the events queue and its dead-letter queue
# (redrive, retention, message size, visibility timeout), the queue policy that lets the bucket
# send, and the event notifications (created + removed under incoming/, removed under served/).
#
# What LocalStack (community) does not enforce is left out: the fail-closed bucket policy and the
# IAM roles name principals that do not exist here. LocalStackConsistencyTest (infra/cdk) runs
# this script with a recording `awslocal` and compares every call with the synthesized template;
# LocalStackInitScriptTest (infra/sandbox) checks the result in a real LocalStack where Docker runs.
set -euo pipefail

bucket="${UPLOADGUARD_BUCKET:-uploadguard}"
events_queue="${UPLOADGUARD_EVENTS_QUEUE:-uploadguard-events}"
dead_letter_queue="${UPLOADGUARD_DEAD_LETTER_QUEUE:-uploadguard-events-dlq}"
cors_origins="${UPLOADGUARD_CORS_ORIGINS:-http://localhost:8080}"   # comma-separated
max_receive_count="${UPLOADGUARD_MAX_RECEIVE_COUNT:-5}"
region="${AWS_DEFAULT_REGION:-us-east-1}"
# written last, so a health check (docker-compose) or a test knows that everything above is in place
done_marker="${UPLOADGUARD_INIT_MARKER:-/tmp/uploadguard-init.done}"
rm -f "$done_marker"

incoming_prefix="incoming/"
served_prefix="served/"
quarantine_prefix="quarantine/"
visibility_timeout=120            # seconds; above the enforcer's processing and shutdown time
events_retention=345600           # 4 days
dead_letter_retention=1209600     # 14 days
max_message_size=262144           # S3 events can exceed 64 KB
abort_multipart_days=1
incoming_expiry_days=7            # never settled: the enforcer moves every inspected object out
quarantine_expiry_days=30
cors_max_age=3000
signed_headers='"content-type","if-none-match","x-amz-meta-user-id","x-amz-meta-upload-id","x-amz-checksum-sha256"'

log() { echo "uploadguard-init: $*"; }

# ---- bucket
if awslocal s3api head-bucket --bucket "$bucket" >/dev/null 2>&1; then
  log "bucket $bucket exists"
elif [ "$region" = "us-east-1" ]; then
  awslocal s3api create-bucket --bucket "$bucket" >/dev/null
else
  awslocal s3api create-bucket --bucket "$bucket" \
    --create-bucket-configuration "LocationConstraint=$region" >/dev/null
fi

awslocal s3api put-public-access-block --bucket "$bucket" --public-access-block-configuration \
  'BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true'

awslocal s3api put-bucket-encryption --bucket "$bucket" --server-side-encryption-configuration \
  '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}'

awslocal s3api put-bucket-ownership-controls --bucket "$bucket" --ownership-controls \
  '{"Rules":[{"ObjectOwnership":"BucketOwnerEnforced"}]}'

origins_json=""
IFS=',' read -r -a origins <<< "$cors_origins"
for origin in "${origins[@]}"; do
  origin="$(echo "$origin" | tr -d '[:space:]')"
  [ -n "$origin" ] && origins_json="${origins_json:+$origins_json,}\"$origin\""
done
awslocal s3api put-bucket-cors --bucket "$bucket" --cors-configuration "{\"CORSRules\":[{
  \"ID\":\"presigned-put\",
  \"AllowedMethods\":[\"PUT\"],
  \"AllowedOrigins\":[$origins_json],
  \"AllowedHeaders\":[$signed_headers],
  \"ExposeHeaders\":[\"ETag\"],
  \"MaxAgeSeconds\":$cors_max_age}]}"

awslocal s3api put-bucket-lifecycle-configuration --bucket "$bucket" --lifecycle-configuration "{\"Rules\":[
  {\"ID\":\"abort-incomplete-multipart-uploads\",\"Filter\":{\"Prefix\":\"\"},\"Status\":\"Enabled\",
   \"AbortIncompleteMultipartUpload\":{\"DaysAfterInitiation\":$abort_multipart_days}},
  {\"ID\":\"expire-unsettled-incoming\",\"Filter\":{\"Prefix\":\"$incoming_prefix\"},\"Status\":\"Enabled\",
   \"Expiration\":{\"Days\":$incoming_expiry_days}},
  {\"ID\":\"expire-quarantine\",\"Filter\":{\"Prefix\":\"$quarantine_prefix\"},\"Status\":\"Enabled\",
   \"Expiration\":{\"Days\":$quarantine_expiry_days}}]}"

# ---- queues
dead_letter_url="$(awslocal sqs create-queue --queue-name "$dead_letter_queue" --attributes \
  "{\"MessageRetentionPeriod\":\"$dead_letter_retention\",\"MaximumMessageSize\":\"$max_message_size\"}" \
  --query QueueUrl --output text)"
dead_letter_arn="$(awslocal sqs get-queue-attributes --queue-url "$dead_letter_url" \
  --attribute-names QueueArn --query Attributes.QueueArn --output text)"

redrive="{\\\"deadLetterTargetArn\\\":\\\"$dead_letter_arn\\\",\\\"maxReceiveCount\\\":\\\"$max_receive_count\\\"}"
events_url="$(awslocal sqs create-queue --queue-name "$events_queue" --attributes \
  "{\"VisibilityTimeout\":\"$visibility_timeout\",\"MessageRetentionPeriod\":\"$events_retention\",\"MaximumMessageSize\":\"$max_message_size\",\"RedrivePolicy\":\"$redrive\"}" \
  --query QueueUrl --output text)"
events_arn="$(awslocal sqs get-queue-attributes --queue-url "$events_url" \
  --attribute-names QueueArn --query Attributes.QueueArn --output text)"

bucket_arn="arn:aws:s3:::$bucket"
policy="{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Sid\\\":\\\"AllowTheUploadBucketToSend\\\",\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"Service\\\":\\\"s3.amazonaws.com\\\"},\\\"Action\\\":[\\\"sqs:SendMessage\\\",\\\"sqs:GetQueueAttributes\\\",\\\"sqs:GetQueueUrl\\\"],\\\"Resource\\\":\\\"$events_arn\\\",\\\"Condition\\\":{\\\"ArnLike\\\":{\\\"aws:SourceArn\\\":\\\"$bucket_arn\\\"}}}]}"
awslocal sqs set-queue-attributes --queue-url "$events_url" --attributes "{\"Policy\":\"$policy\"}"

# ---- event notifications: never on the enforcer's own writes (served/, quarantine/ created)
awslocal s3api put-bucket-notification-configuration --bucket "$bucket" --notification-configuration "{\"QueueConfigurations\":[
  {\"Id\":\"incoming-created\",\"QueueArn\":\"$events_arn\",\"Events\":[\"s3:ObjectCreated:*\"],
   \"Filter\":{\"Key\":{\"FilterRules\":[{\"Name\":\"prefix\",\"Value\":\"$incoming_prefix\"}]}}},
  {\"Id\":\"incoming-removed\",\"QueueArn\":\"$events_arn\",\"Events\":[\"s3:ObjectRemoved:*\"],
   \"Filter\":{\"Key\":{\"FilterRules\":[{\"Name\":\"prefix\",\"Value\":\"$incoming_prefix\"}]}}},
  {\"Id\":\"served-removed\",\"QueueArn\":\"$events_arn\",\"Events\":[\"s3:ObjectRemoved:*\"],
   \"Filter\":{\"Key\":{\"FilterRules\":[{\"Name\":\"prefix\",\"Value\":\"$served_prefix\"}]}}}]}"

touch "$done_marker"
log "UploadGuard LocalStack init done: bucket=$bucket queue=$events_queue dlq=$dead_letter_queue"
