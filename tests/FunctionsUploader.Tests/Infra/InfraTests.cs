using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FunctionsUploader.Tests.Infra;

/// <summary>
/// infra/ compiled and linted by the Bicep CLI (NuGet package Azure.Bicep.CommandLine.linux-x64, restored with the
/// tests), failing on any error or warning; then the compiled template checked for what the deployment promises.
/// </summary>
public sealed partial class InfraTests
{
    private static readonly string MainBicep = Path.Combine(TestData.RepositoryRoot(), "infra", "main.bicep");

    // One compile serves every test here: the compiler takes seconds on two cores.
    private static readonly Lazy<Task<(int ExitCode, string Output, string Errors)>> MainBuild = new(() => BicepAsync("build", MainBicep, "--stdout"));

    [Fact]
    public async Task Main_bicep_builds_and_lints_without_an_error_or_a_warning()
    {
        var build = await MainBuild.Value;
        var lint = await BicepAsync("lint", MainBicep);

        Assert.True(build.ExitCode == 0 && Diagnostics(build).Count == 0, "bicep build: " + build.Errors);
        Assert.True(lint.ExitCode == 0 && Diagnostics(lint).Count == 0, "bicep lint: " + lint.Errors);
    }

    [Fact]
    public async Task A_warning_is_caught_so_a_clean_run_means_clean()
    {
        var folder = Directory.CreateTempSubdirectory("functionsuploader-bicep-").FullName;
        try
        {
            var file = Path.Combine(folder, "unused.bicep");
            await File.WriteAllTextAsync(file, "param unused string\n");

            var lint = await BicepAsync("lint", file);

            Assert.Contains(Diagnostics(lint), d => d.Contains("no-unused-params", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_app_reaches_storage_by_identity_only_with_exactly_the_roles_it_uses()
    {
        var template = (await MainBuild.Value).Output;
        using var json = JsonDocument.Parse(template);

        // No account key anywhere: none is listed, no account allows one, no setting or secret carries one.
        Assert.DoesNotContain("listKeys", template, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey", template, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Staging__ConnectionString", template, StringComparison.Ordinal);
        Assert.DoesNotContain("Staging--ConnectionString", template, StringComparison.Ordinal);
        var accounts = Resources(json.RootElement, "Microsoft.Storage/storageAccounts").ToList();
        Assert.Equal(2, accounts.Count);
        Assert.All(accounts, a => Assert.False(a.GetProperty("properties").GetProperty("allowSharedKeyAccess").GetBoolean()));
        // The app (Uploader:Staging:BlobEndpoint) and the blob trigger (StagingStorage) reach staging by identity.
        Assert.Contains("'Uploader__Staging__BlobEndpoint', reference(resourceId('Microsoft.Storage/storageAccounts', format('stg{0}'", template, StringComparison.Ordinal);
        Assert.Contains("'StagingStorage__blobServiceUri', reference(resourceId('Microsoft.Storage/storageAccounts', format('stg{0}'", template, StringComparison.Ordinal);
        Assert.Contains("'StagingStorage__credential', 'managedidentity'", template, StringComparison.Ordinal);
        Assert.Contains("'AzureWebJobsStorage__credential', 'managedidentity'", template, StringComparison.Ordinal);

        // Every role assignment, as (role, where): the host account's three, Data Contributor on each of the app's four
        // containers, and on the staging account as a whole only Blob Delegator (user delegation keys) and Queue Data
        // Contributor (the trigger's poison queue); Key Vault secrets and metrics publishing.
        string[] expected =
        [
            "Storage Blob Data Owner @ host account", "Storage Queue Data Contributor @ host account", "Storage Table Data Contributor @ host account",
            .. Enumerable.Repeat("Storage Blob Data Contributor @ staging container", 4),
            "Storage Blob Delegator @ staging account", "Storage Queue Data Contributor @ staging account",
            "Key Vault Secrets User @ key vault", "Monitoring Metrics Publisher @ insights",
        ];
        Assert.Equal(expected.Order(), RoleAssignments(json.RootElement).Order());
    }

    private static readonly Dictionary<string, string> RoleNames = new()
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner",
        ["ba92f5b4-2d11-453d-a403-e96b0029c9fe"] = "Storage Blob Data Contributor",
        ["db58b8e5-c6ad-4a2a-8342-4190687cbf4a"] = "Storage Blob Delegator",
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor",
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor",
        ["4633458b-17de-408a-b874-0445c86b69e6"] = "Key Vault Secrets User",
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher",
    };

    /// <summary>"role @ where" for each assignment the template makes, copy loops counted out, role ids named.</summary>
    private static IEnumerable<string> RoleAssignments(JsonElement template)
    {
        var deployment = Resources(template, "Microsoft.Resources/deployments").Single();
        var variables = deployment.GetProperty("properties").GetProperty("template").GetProperty("variables");
        string Resolve(string expression) => VariableReference().Replace(expression, m =>
            variables.TryGetProperty(m.Groups[1].Value, out var value) && value.ValueKind == JsonValueKind.String && !value.GetString()!.StartsWith('[') ? $"'{value.GetString()}'" : m.Value);

        foreach (var assignment in Resources(template, "Microsoft.Authorization/roleAssignments"))
        {
            var roles = RoleId().Matches(Resolve(assignment.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!)).Select(m => RoleNames.GetValueOrDefault(m.Value, m.Value)).ToList();
            var scope = Resolve(assignment.GetProperty("scope").GetString()!);
            var where = scope.Contains("/containers'", StringComparison.Ordinal) ? "staging container"
                : scope.Contains("format('stg{0}'", StringComparison.Ordinal) ? "staging account"
                : scope.Contains("format('st{0}'", StringComparison.Ordinal) ? "host account"
                : scope.Contains("KeyVault", StringComparison.Ordinal) ? "key vault"
                : scope.Contains("Insights", StringComparison.Ordinal) ? "insights"
                : scope;
            // A loop over one role repeats it per item (the containers); a loop over roles names each once.
            var times = roles.Count == 1 && assignment.TryGetProperty("copy", out var copy) && VariableReference().Match(copy.GetProperty("count").GetString()!) is { Success: true } items
                ? variables.GetProperty(items.Groups[1].Value).GetArrayLength()
                : 1;
            foreach (var role in roles)
            {
                for (var i = 0; i < times; i++)
                {
                    yield return $"{role} @ {where}";
                }
            }
        }
    }

    private static List<string> Diagnostics((int ExitCode, string Output, string Errors) run) =>
        (run.Output + "\n" + run.Errors).Split('\n').Where(line => DiagnosticLine().IsMatch(line)).ToList();

    private static IEnumerable<JsonElement> Resources(JsonElement template, string type) =>
        Descendants(template).Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == type);

    private static IEnumerable<JsonElement> Descendants(JsonElement element)
    {
        yield return element;
        var children = element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().Select(p => p.Value),
            JsonValueKind.Array => element.EnumerateArray(),
            _ => [],
        };
        foreach (var descendant in children.SelectMany(Descendants))
        {
            yield return descendant;
        }
    }

    private static async Task<(int ExitCode, string Output, string Errors)> BicepAsync(params string[] arguments)
    {
        var package = typeof(InfraTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPackage").Value!;
        var start = new ProcessStartInfo(Path.Combine(package, "tools", "bicep")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var bicep = Process.Start(start)!;
        var output = bicep.StandardOutput.ReadToEndAsync();
        var errors = bicep.StandardError.ReadToEndAsync();
        await bicep.WaitForExitAsync();
        return (bicep.ExitCode, await output, await errors);
    }

    // "<file>(line,col) : Warning <rule>: <message>" (or Error, Info).
    [GeneratedRegex(@"\) : (Error|Warning|Info) ")]
    private static partial Regex DiagnosticLine();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex RoleId();

    [GeneratedRegex(@"variables\('(\w+)'\)")]
    private static partial Regex VariableReference();
}
