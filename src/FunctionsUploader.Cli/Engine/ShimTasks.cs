using DurableTask.Core;
using FunctionsUploader.Workflow;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using CoreActivity = DurableTask.Core.TaskActivity;
using CoreDataConverter = DurableTask.Core.Serializing.DataConverter;

namespace FunctionsUploader.Cli.Engine;

/// <summary>Core's orchestrator classes for DurableTask.Core's worker: a fresh orchestrator behind the SDK's shim per execution.</summary>
internal sealed class ShimOrchestrationCreator : ObjectCreator<TaskOrchestration>
{
    private readonly Type _type;
    private readonly IServiceProvider _services;
    private readonly DurableTaskShimFactory _shims;

    public ShimOrchestrationCreator(Type type, IServiceProvider services, DurableTaskShimFactory shims)
    {
        _type = type;
        _services = services;
        _shims = shims;
        Name = UploadTasks.NameOf(type);
        Version = string.Empty;
    }

    // No parent instance is known here: under the shim, context.Parent is null in sub-orchestrations.
    public override TaskOrchestration Create() =>
        _shims.CreateOrchestration(Name, (ITaskOrchestrator)ActivatorUtilities.CreateInstance(_services, _type));
}

/// <summary>
/// Core's activity classes for DurableTask.Core's worker. The activity is made from the services when its work item
/// runs, inside the activity: an activity that cannot be made (a setting missing) fails like any other, under the
/// orchestration's retry policy, instead of leaving the work item to be handed out again for ever.
/// </summary>
internal sealed class ShimActivityCreator : ObjectCreator<CoreActivity>
{
    private readonly ResolvedActivity _activity;
    private readonly DurableTaskShimFactory _shims;

    public ShimActivityCreator(Type type, IServiceProvider services, DurableTaskShimFactory shims)
    {
        _activity = new ResolvedActivity(type, services);
        _shims = shims;
        Name = UploadTasks.NameOf(type);
        Version = string.Empty;
    }

    public override CoreActivity Create() => _shims.CreateActivity(Name, _activity);

    private sealed class ResolvedActivity : ITaskActivity
    {
        private readonly Type _type;
        private readonly IServiceProvider _services;

        public ResolvedActivity(Type type, IServiceProvider services)
        {
            _type = type;
            _services = services;
            var generic = type;
            while (generic is not null && !(generic.IsGenericType && generic.GetGenericTypeDefinition() == typeof(Microsoft.DurableTask.TaskActivity<,>)))
            {
                generic = generic.BaseType;
            }

            var arguments = generic?.GetGenericArguments() ?? throw new ArgumentException($"{type.Name} is not a TaskActivity<TInput, TOutput>.", nameof(type));
            InputType = arguments[0];
            OutputType = arguments[1];
        }

        public Type InputType { get; }

        public Type OutputType { get; }

        public Task<object?> RunAsync(TaskActivityContext context, object? input) =>
            ((ITaskActivity)_services.GetRequiredService(_type)).RunAsync(context, input);
    }
}

/// <summary>
/// The SDK's data converter for DurableTask.Core's client, so that what the client writes (orchestration input) and
/// reads (output, custom status) is what the shimmed orchestrations read and write.
/// </summary>
internal sealed class ShimDataConverter(DataConverter inner) : CoreDataConverter
{
    public override string Serialize(object value) => inner.Serialize(value) ?? "null";

    public override string Serialize(object value, bool formatted) => Serialize(value);

    public override object Deserialize(string data, Type objectType) => inner.Deserialize(data, objectType)!;
}
