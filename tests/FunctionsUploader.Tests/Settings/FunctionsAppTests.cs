using FunctionsUploader.Tests.Fixtures;
using FunctionsUploader.Workflow;

namespace FunctionsUploader.Tests.Settings;

/// <summary>The Functions app registers a function for every orchestrator and activity of the workflow, under the workflow's names.</summary>
public sealed class FunctionsAppTests
{
    [Fact]
    public void Every_orchestrator_and_activity_has_a_function_of_its_name()
    {
        var names = UploadTasks.Orchestrators.Concat(UploadTasks.Activities).Select(UploadTasks.NameOf).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(names, AppFunctions.Durable.Keys.Order(StringComparer.Ordinal));
        Assert.Contains(ActivityNames.CopyBatch, names);
        Assert.Contains(OrchestrationNames.Transfer, names);
    }
}
