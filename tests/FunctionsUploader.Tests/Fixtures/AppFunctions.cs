using System.Collections.Concurrent;
using System.Reflection;
using FunctionsUploader.Functions;
using FunctionsUploader.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsUploader.Tests.Fixtures;

/// <summary>
/// Registers the Functions app's own orchestration and activity functions (found by their [Function] and trigger
/// attributes, as the Functions host finds them) with a Durable worker, and counts their executions. Activity
/// functions are made from the worker's services, as the Functions host makes them.
/// </summary>
public sealed class AppFunctions
{
    private readonly ConcurrentDictionary<string, int> _executions = new(StringComparer.Ordinal);
    private IServiceProvider? _services;

    /// <summary>How often each function ran (an orchestrator runs again for every replay).</summary>
    public IReadOnlyDictionary<string, int> Executions => _executions;

    /// <summary>Every [Function] of the app with an orchestration or activity trigger, by name.</summary>
    public static IReadOnlyDictionary<string, MethodInfo> Durable { get; } = typeof(Orchestrators).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null && m.GetParameters().Any(IsTrigger))
        .ToDictionary(m => m.GetCustomAttribute<FunctionAttribute>()!.Name, StringComparer.Ordinal);

    /// <summary>Set once the worker host is built: the services activity functions are made from.</summary>
    public void UseServices(IServiceProvider services) => _services = services;

    public void Register(DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var (name, method) in Durable)
        {
            Type input;
            var orchestration = method.GetParameters().Any(p => p.IsDefined(typeof(OrchestrationTriggerAttribute)));
            if (orchestration)
            {
                // The input type is the Core orchestrator's: the function reads it with GetInput.
                var orchestrator = UploadTasks.Orchestrators.Single(t => UploadTasks.NameOf(t) == name);
                input = orchestrator.BaseType!.GetGenericArguments()[0];
            }
            else
            {
                input = method.GetParameters().Single(p => p.IsDefined(typeof(ActivityTriggerAttribute))).ParameterType;
            }

            var output = method.ReturnType.GetGenericArguments()[0];
            GetType().GetMethod(nameof(Add), BindingFlags.NonPublic | BindingFlags.Instance)!.MakeGenericMethod(input, output).Invoke(this, [registry, name, method, orchestration]);
        }
    }

    private static bool IsTrigger(ParameterInfo p) => p.IsDefined(typeof(OrchestrationTriggerAttribute)) || p.IsDefined(typeof(ActivityTriggerAttribute));

    private void Add<TInput, TOutput>(DurableTaskRegistry registry, string name, MethodInfo method, bool orchestration)
    {
        if (orchestration)
        {
            registry.AddOrchestratorFunc<TInput, TOutput>(name, (context, _) =>
            {
                _executions.AddOrUpdate(name, 1, (_, n) => n + 1);
                return (Task<TOutput>)method.Invoke(null, [context])!;
            });
            return;
        }

        registry.AddActivityFunc<TInput, TOutput>(name, (_, input) =>
        {
            _executions.AddOrUpdate(name, 1, (_, n) => n + 1);
            var functions = ActivatorUtilities.CreateInstance(_services ?? throw new InvalidOperationException("The worker's services are not set."), method.DeclaringType!);
            return (Task<TOutput>)method.Invoke(functions, [input, CancellationToken.None])!;
        });
    }
}
