using System.Reflection;
using FunctionsUploader.Activities;
using Microsoft.DurableTask;

namespace FunctionsUploader.Workflow;

/// <summary>Every orchestrator and activity of the upload workflow: what each host registers with its Durable worker.</summary>
public static class UploadTasks
{
    public static IReadOnlyList<Type> Orchestrators { get; } = [typeof(UploadOrchestrator), typeof(TransferOrchestrator), typeof(CallbackOrchestrator)];

    public static IReadOnlyList<Type> Activities { get; } =
    [
        typeof(PrepareActivity), typeof(DeliverActivity), typeof(CopyBatchActivity), typeof(CommitActivity),
        typeof(SetMetadataActivity), typeof(SetCategoriesActivity), typeof(SetStatusActivity),
        typeof(CheckProcessingActivity), typeof(FinishActivity), typeof(CompensateActivity), typeof(ArchiveActivity), typeof(NotifyActivity),
    ];

    /// <summary>The name a task class is registered and called under (its <see cref="DurableTaskAttribute"/>).</summary>
    public static string NameOf(Type task) =>
        task.GetCustomAttribute<DurableTaskAttribute>()?.Name.Name ?? throw new InvalidOperationException($"{task.Name} has no [DurableTask] name.");

    /// <summary>Registers every orchestrator and activity; activities are made from the worker's services.</summary>
    public static DurableTaskRegistry AddUploadTasks(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var orchestrator in Orchestrators)
        {
            registry.AddOrchestrator(orchestrator);
        }

        foreach (var activity in Activities)
        {
            registry.AddActivity(activity);
        }

        return registry;
    }
}
