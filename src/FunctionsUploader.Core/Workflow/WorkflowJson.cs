using System.Text.Json;
using System.Text.Json.Serialization;

namespace FunctionsUploader.Workflow;

/// <summary>The one JSON shape for everything that crosses the orchestration boundary or sits in the job store.</summary>
public static class WorkflowJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
