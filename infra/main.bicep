// FunctionsUploader in Azure: a resource group with the Functions app (Flex Consumption), its storage, Key Vault,
// Application Insights and a managed identity. azd passes environmentName and location.
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('azd environment name; names every resource.')
param environmentName string

@description('Azure region for every resource.')
param location string

@secure()
@description('Vendor settings, app setting name to value (e.g. {"Uploader__Vendors__Prepr__AccessToken": "..."}); kept in Key Vault.')
param vendorSecrets object = {}

@description('Vendor settings that are not secret (base URLs, folder ids, routes), app setting name to value.')
param vendorSettings object = {}

var tags = { 'azd-env-name': environmentName }

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module app 'resources.bicep' = {
  name: 'functionsuploader'
  scope: group
  params: {
    environmentName: environmentName
    location: location
    tags: tags
    vendorSecrets: vendorSecrets
    vendorSettings: vendorSettings
  }
}

output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = app.outputs.functionAppName
output AZURE_STORAGE_ACCOUNT_NAME string = app.outputs.storageAccountName
output STAGING_CONTAINER string = app.outputs.stagingContainer
