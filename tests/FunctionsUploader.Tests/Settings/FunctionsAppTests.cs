using System.Reflection;
using System.Text.RegularExpressions;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Tests.Settings;

/// <summary>
/// The Functions project does not build offline, so its source is checked here: every activity and orchestration
/// the workflow calls has a function of that name, and every activity is in the catalog the functions dispatch on.
/// </summary>
public sealed partial class FunctionsAppTests
{
    [Fact]
    public void Every_activity_and_orchestration_has_a_function_and_a_catalog_entry()
    {
        var source = string.Join('\n', Directory.GetFiles(Path.Combine(TestData.RepositoryRoot(), "src", "FunctionsUploader.Functions"), "*.cs").Select(File.ReadAllText));
        var functions = FunctionAttribute().Matches(source).Select(m => m.Groups[1].Value).ToHashSet();

        var activities = Constants(typeof(ActivityNames));
        var orchestrations = Constants(typeof(OrchestrationNames));

        Assert.All(activities, name => Assert.Contains($"ActivityNames.{name}", functions));
        Assert.All(orchestrations, name => Assert.Contains($"OrchestrationNames.{name}", functions));
        Assert.Equal(activities.Select(n => (string)typeof(ActivityNames).GetField(n)!.GetValue(null)!).Order(), ActivityCatalog.All.Keys.Order());
    }

    private static List<string> Constants(Type type) =>
        [.. type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => f.Name)];

    [GeneratedRegex(@"\[Function\(((?:ActivityNames|OrchestrationNames)\.\w+)\)\]")]
    private static partial Regex FunctionAttribute();
}
