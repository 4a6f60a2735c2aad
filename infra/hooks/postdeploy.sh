#!/bin/sh
# After the code is deployed (Event Grid validates the webhook, so the function must exist first): subscribe the
# staging container's BlobCreated events to the Event Grid blob trigger. Safe to run again.
set -eu
group="$AZURE_RESOURCE_GROUP"
app="$AZURE_FUNCTION_APP_NAME"
account="$AZURE_STORAGE_ACCOUNT_NAME"
container="$STAGING_CONTAINER"
topic="evgt-$account"

key=$(az functionapp keys list -g "$group" -n "$app" --query "systemKeys.blobs_extension" -o tsv)
host=$(az functionapp show -g "$group" -n "$app" --query defaultHostName -o tsv)
account_id=$(az storage account show -g "$group" -n "$account" --query id -o tsv)

az eventgrid system-topic show -g "$group" -n "$topic" >/dev/null 2>&1 ||
  az eventgrid system-topic create -g "$group" -n "$topic" --location "$(az group show -n "$group" --query location -o tsv)" \
    --topic-type Microsoft.Storage.StorageAccounts --source "$account_id" >/dev/null

az eventgrid system-topic event-subscription create -g "$group" --system-topic-name "$topic" -n staging-blob-created \
  --endpoint-type webhook \
  --endpoint "https://$host/runtime/webhooks/blobs?functionName=Host.Functions.StartFromBlobEvent&code=$key" \
  --included-event-types Microsoft.Storage.BlobCreated \
  --subject-begins-with "/blobServices/default/containers/$container/" >/dev/null
echo "Event Grid delivers BlobCreated in $container to $app."
