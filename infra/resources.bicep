// The resources of one environment. Secrets (the staging account key for server-side copies, vendor credentials)
// live in Key Vault and reach the app as Key Vault references; everything else uses the managed identity.
param environmentName string
param location string
param tags object
@secure()
param vendorSecrets object
param vendorSettings object

@description('Functions instances at most; each runs a few copy activities at once.')
param maximumInstanceCount int = 40

@allowed([2048, 4096])
param instanceMemoryMB int = 2048

var token = toLower(uniqueString(subscription().id, environmentName, location))
var stagingContainer = 'staging'
var deploymentContainer = 'app-package'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${environmentName}'
  location: location
  tags: tags
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${environmentName}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${environmentName}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

// One account holds the Functions host state (Durable queues and tables), the app package, and the staging,
// processed, failed and job-store containers.
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'st${token}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    // The account key signs the read SAS that lets MediaValet's storage copy from staging server-side.
    allowSharedKeyAccess: true
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for name in [stagingContainer, 'processed', 'failed', 'upload-jobs', deploymentContainer]: {
  parent: blobService
  name: name
}]

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${token}'
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
  }
}

resource stagingSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'Uploader--Staging--ConnectionString'
  properties: {
    value: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
  }
}

resource vendorSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for secret in items(vendorSecrets): {
  parent: vault
  name: replace(secret.key, '__', '--')
  properties: { value: secret.value }
}]

// Built-in role ids: Storage Blob Data Owner, Storage Queue Data Contributor, Storage Table Data Contributor,
// Key Vault Secrets User, Monitoring Metrics Publisher.
var storageRoles = [
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
]

resource storageAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoles: {
  name: guid(storage.id, identity.id, role)
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

resource vaultAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, 'secrets-user')
  scope: vault
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
  }
}

resource insightsAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, identity.id, 'metrics-publisher')
  scope: insights
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb')
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${environmentName}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

var baseSettings = {
  AzureWebJobsStorage__accountName: storage.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.properties.clientId
  // The blob trigger's connection (Event Grid source): the same account, by identity.
  StagingStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  StagingStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
  StagingStorage__credential: 'managedidentity'
  StagingStorage__clientId: identity.properties.clientId
  AZURE_CLIENT_ID: identity.properties.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: insights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
  // Flex Consumption runs only the Event Grid blob trigger; the polling one is for local runs on Azurite.
  'AzureWebJobs.StartFromBlobPolling.Disabled': 'true'
  Uploader__Staging__ConnectionString: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${stagingSecret.name})'
  Uploader__Staging__Container: stagingContainer
}

var secretSettings = toObject(items(vendorSecrets), s => s.key, s => '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${replace(s.key, '__', '--')})')

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: 'func-${environmentName}-${token}'
  location: location
  tags: union(tags, { 'azd-service-name': 'uploader' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
    }
  }
  dependsOn: [containers, storageAccess, vaultAccess]
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: union(baseSettings, vendorSettings, secretSettings)
  dependsOn: [vendorSecret]
}

output functionAppName string = functionApp.name
output storageAccountName string = storage.name
output stagingContainer string = stagingContainer
