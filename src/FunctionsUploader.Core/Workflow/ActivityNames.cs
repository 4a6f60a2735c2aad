namespace FunctionsUploader.Workflow;

/// <summary>The names activities and orchestrations are registered under, in every host.</summary>
public static class ActivityNames
{
    public const string Prepare = "Prepare";
    public const string Deliver = "Deliver";
    public const string CopyBatch = "CopyBatch";
    public const string Commit = "Commit";
    public const string SetMetadata = "SetMetadata";
    public const string SetCategories = "SetCategories";
    public const string SetStatus = "SetStatus";
    public const string CheckProcessing = "CheckProcessing";
    public const string Finish = "Finish";
    public const string Compensate = "Compensate";
    public const string Archive = "Archive";
    public const string Notify = "Notify";
}

public static class OrchestrationNames
{
    public const string Upload = "UploadOrchestrator";
    public const string Transfer = "TransferOrchestrator";
    public const string Callback = "CallbackOrchestrator";
}
