// The resources of one environment. The app reaches both storage accounts with its managed identity (no account key
// exists in any setting or secret: shared key access is off); vendor credentials live in Key Vault and reach the app
// as Key Vault references. Server-side copies give the vendor's storage a user delegation SAS on the staging blob.
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
// The app's own containers, in the staging account: sources arrive in staging (read, then deleted when archived);
// processed, failed and upload-jobs are written.
var dataContainers = [stagingContainer, 'processed', 'failed', 'upload-jobs']

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

// The Functions host's account: Durable queues and tables, host leases, the app package.
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'st${token}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deployment 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainer
}

// The staging account, apart from the host's, so that the app's rights on it are only what the app does there.
resource staging 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stg${token}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource stagingBlobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: staging
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for name in dataContainers: {
  parent: stagingBlobService
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

resource vendorSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for secret in items(vendorSecrets): {
  parent: vault
  name: replace(secret.key, '__', '--')
  properties: { value: secret.value }
}]

// Built-in role ids.
var blobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var blobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var blobDelegator = 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a'
var queueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var tableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

// The host's account: what the Functions host and Durable Functions need with an identity (blob leases and the
// package: Blob Data Owner; the task hub's queues and tables).
resource storageAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [blobDataOwner, queueDataContributor, tableDataContributor]: {
  name: guid(storage.id, identity.id, role)
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

// Staging: read and delete sources, write processed, failed and job documents, each container on its own (Data
// Contributor is the smallest built-in role that reads, writes and deletes blobs).
resource containerAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (name, i) in dataContainers: {
  name: guid(containers[i].id, identity.id, blobDataContributor)
  scope: containers[i]
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributor)
  }
}]

// Get User Delegation Key is an account-level action: it signs the read SAS a vendor's storage copies staging from.
resource delegatorAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(staging.id, identity.id, blobDelegator)
  scope: staging
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDelegator)
  }
}

// The Event Grid blob trigger on staging keeps its poison queue in the account its connection names.
resource stagingQueueAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(staging.id, identity.id, queueDataContributor)
  scope: staging
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', queueDataContributor)
  }
}

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
  // The blob trigger's connection (Event Grid source): the staging account, by identity.
  StagingStorage__blobServiceUri: staging.properties.primaryEndpoints.blob
  StagingStorage__queueServiceUri: staging.properties.primaryEndpoints.queue
  StagingStorage__credential: 'managedidentity'
  StagingStorage__clientId: identity.properties.clientId
  // DefaultAzureCredential (the app's staging client) picks the user-assigned identity by this id.
  AZURE_CLIENT_ID: identity.properties.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: insights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
  // Flex Consumption runs only the Event Grid blob trigger; the polling one is for local runs on Azurite.
  'AzureWebJobs.StartFromBlobPolling.Disabled': 'true'
  Uploader__Staging__BlobEndpoint: staging.properties.primaryEndpoints.blob
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
  dependsOn: [deployment, containers, storageAccess, containerAccess, delegatorAccess, stagingQueueAccess, vaultAccess]
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: union(baseSettings, vendorSettings, secretSettings)
  dependsOn: [vendorSecret]
}

output functionAppName string = functionApp.name
output storageAccountName string = staging.name
output stagingContainer string = stagingContainer
