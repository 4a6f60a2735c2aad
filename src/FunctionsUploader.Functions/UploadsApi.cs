using FunctionsUploader.Activities;
using FunctionsUploader.Intake;
using FunctionsUploader.Workflow;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace FunctionsUploader.Functions;

/// <summary>
/// The HTTP API under /api/uploads (function keys required): start a job, read its status and progress, cancel
/// it (terminate, then compensate at the vendor and move the source to failed/), and purge a finished job's history.
/// </summary>
public sealed class UploadsApi(UploadIntake intake, ArchiveActivity archive, JobCancellation cancellation, LiveProgress progress)
{
    [Function("StartUpload")]
    public async Task<IActionResult> Start(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "uploads")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return Problem(StatusCodes.Status400BadRequest, $"The request body must be a JSON object of at most {UploadInstructions.MaxBytes} bytes.");
        }

        try
        {
            var starter = new UploadStarter(intake, new DurableStarter(client), archive);
            var jobs = await starter.FromRequestAsync(UploadInstructions.ParseRequest(body), cancellationToken);
            var listed = jobs.Select(j => new { jobId = j.JobId, vendor = j.Vendor, outcome = j.Outcome.ToString(), statusUri = StatusUri(request, j.JobId!) }).ToList();
            return new AcceptedResult(listed[0].statusUri, new { jobs = listed });
        }
        catch (IntakeException e)
        {
            return new BadRequestObjectResult(new { error = e.Message, problems = e.Problems });
        }
    }

    /// <summary>
    /// Lists upload jobs, newest first within a page: ?runtimeStatus=Running,Failed &amp;vendor=prepr
    /// &amp;createdSince=2026-12-01T00:00:00Z &amp;pageSize=50 &amp;continuationToken=... (from the previous page).
    /// </summary>
    [Function("ListUploads")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "uploads")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        if (JobListQuery.Parse(request.Query.ToDictionary(q => q.Key, q => q.Value.ToString())) is not { } query)
        {
            return Problem(StatusCodes.Status400BadRequest, JobListQuery.Usage);
        }

        if (query.Problem is { } problem)
        {
            return Problem(StatusCodes.Status400BadRequest, problem);
        }

        var pages = client.GetAllInstancesAsync(new OrchestrationQuery(CreatedFrom: query.CreatedSince, Statuses: query.Statuses, FetchInputsAndOutputs: true))
            .AsPages(query.ContinuationToken, query.PageSize);
        await foreach (var page in pages.WithCancellation(cancellationToken))
        {
            var jobs = await Task.WhenAll(page.Values
                .Where(i => i.Name == OrchestrationNames.Upload)
                .Select(i => (Instance: i, Job: i.ReadInputAs<UploadJob>()))
                .Where(j => query.Matches(j.Instance.RuntimeStatus, j.Job?.Vendor, j.Instance.CreatedAt))
                .OrderByDescending(j => j.Instance.CreatedAt)
                .Select(async j => new
                {
                    jobId = j.Instance.InstanceId,
                    runtimeStatus = j.Instance.RuntimeStatus.ToString(),
                    createdAt = j.Instance.CreatedAt,
                    vendor = j.Job?.Vendor,
                    source = j.Job?.Source.ToString(),
                    status = await LiveStatusAsync(client, j.Instance, cancellationToken),
                    outcome = j.Instance.IsCompleted && j.Instance.SerializedOutput is not null ? j.Instance.ReadOutputAs<UploadResult>()?.Outcome : null,
                    statusUri = StatusUri(request, j.Instance.InstanceId),
                }));
            return new OkObjectResult(new { jobs, continuationToken = page.ContinuationToken });
        }

        return new OkObjectResult(new { jobs = Array.Empty<object>(), continuationToken = (string?)null });
    }

    [Function("GetUpload")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "uploads/{id}")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        if (await FindJobAsync(client, id, inputsAndOutputs: true, cancellationToken) is not { } instance)
        {
            return NoSuchJob(id);
        }

        // Custom status and result are secret-free by construction (UploadStatus, UploadResult); the input is not shown.
        var status = await LiveStatusAsync(client, instance, cancellationToken);
        return new OkObjectResult(new
        {
            jobId = instance.InstanceId,
            runtimeStatus = instance.RuntimeStatus.ToString(),
            createdAt = instance.CreatedAt,
            lastUpdatedAt = instance.LastUpdatedAt,
            status,
            result = instance.IsCompleted && instance.SerializedOutput is not null ? instance.ReadOutputAs<UploadResult>() : null,
            failure = instance.FailureDetails?.ErrorMessage,
        });
    }

    [Function("CancelUpload")]
    public async Task<IActionResult> Cancel(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "uploads/{id}/cancel")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        if (await FindJobAsync(client, id, inputsAndOutputs: true, cancellationToken) is not { } instance)
        {
            return NoSuchJob(id);
        }

        if (instance.IsCompleted)
        {
            return Problem(StatusCodes.Status409Conflict, $"Upload job '{id}' has already finished ({instance.RuntimeStatus}).");
        }

        try
        {
            await client.TerminateInstanceAsync(id, cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
        {
            return Problem(StatusCodes.Status409Conflict, $"Upload job '{id}' finished while it was being cancelled.");
        }

        // The host ignores a recursive terminate: end the transfer slices one by one. Their running copy batches
        // stop on the job's cancellation mark, which JobCancellation sets before it compensates.
        await foreach (var slice in client.GetAllInstancesAsync(new OrchestrationQuery(
            Statuses: [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended],
            InstanceIdPrefix: UploadOrchestrator.TransferInstancePrefix(id))))
        {
            await client.TerminateInstanceAsync(slice.InstanceId, cancellationToken);
        }

        var job = instance.ReadInputAs<UploadJob>()!;
        const string Reason = "Cancelled by an API request.";
        var archived = await cancellation.CancelAsync(job, Reason, cancellationToken);
        if (job.Details.CallbackUrl is { } callbackUrl)
        {
            var status = instance.ReadCustomStatusAs<UploadStatus>();
            var result = new UploadResult(job.JobId, job.Vendor, UploadOutcome.Cancelled, status?.VendorAssetId, status?.BytesTotal ?? 0, null, null, archived.Destination, new FailureReport(JobCancellation.Step, Reason, Permanent: true));
            await client.ScheduleNewOrchestrationInstanceAsync(
                OrchestrationNames.Callback, new CallbackDelivery(new CallbackRequest(callbackUrl, result), job.Settings.Retry.Finish), new StartOrchestrationOptions(CallbackOrchestrator.InstanceId(id)), cancellationToken);
        }

        return new AcceptedResult(StatusUri(request, id), new { jobId = id, cancelled = true, archivedTo = archived.Destination });
    }

    [Function("PurgeUpload")]
    public async Task<IActionResult> Purge(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "uploads/{id}")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        if (await FindJobAsync(client, id, inputsAndOutputs: false, cancellationToken) is not { } instance)
        {
            return NoSuchJob(id);
        }

        if (!instance.IsCompleted)
        {
            return Problem(StatusCodes.Status409Conflict, $"Upload job '{id}' is still {instance.RuntimeStatus}; cancel it before purging its history.");
        }

        // Recursive purge is not supported (PurgeInstanceOptions says so): purge the transfer slices by id prefix,
        // and the callback a cancel started, if any.
        await client.PurgeInstanceAsync(id, cancellationToken);
        await client.PurgeInstanceAsync(CallbackOrchestrator.InstanceId(id), cancellationToken);
        await foreach (var slice in client.GetAllInstancesAsync(new OrchestrationQuery(InstanceIdPrefix: UploadOrchestrator.TransferInstancePrefix(id))))
        {
            await client.PurgeInstanceAsync(slice.InstanceId, cancellationToken);
        }

        return new NoContentResult();
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > UploadInstructions.MaxBytes)
            {
                return null;
            }
        }

        return buffer.Length == 0 ? null : buffer.ToArray();
    }

    /// <summary>
    /// The job's custom status, which counts finished batches; while it runs, plus what its running batches (of the
    /// transfer slice it names, if any) have reported to the job store.
    /// </summary>
    private async Task<UploadStatus?> LiveStatusAsync(DurableTaskClient client, OrchestrationMetadata instance, CancellationToken cancellationToken)
    {
        var status = instance.SerializedCustomStatus is null ? null : instance.ReadCustomStatusAs<UploadStatus>();
        if (status is null || instance.IsCompleted)
        {
            return status;
        }

        var slice = status.TransferSlice is { } sliceId ? await client.GetInstanceAsync(sliceId, getInputsAndOutputs: true, cancellationToken) : null;
        return await progress.MergeAsync(instance.InstanceId, status, slice?.ReadCustomStatusAs<UploadStatus>(), cancellationToken);
    }

    /// <summary>The upload job with this id; null when there is none, or the id is one of its transfer slices.</summary>
    private static async Task<OrchestrationMetadata?> FindJobAsync(DurableTaskClient client, string id, bool inputsAndOutputs, CancellationToken cancellationToken) =>
        await client.GetInstanceAsync(id, inputsAndOutputs, cancellationToken) is { Name: OrchestrationNames.Upload } instance ? instance : null;

    private static ObjectResult NoSuchJob(string id) => Problem(StatusCodes.Status404NotFound, $"No upload job '{id}'.");

    private static string StatusUri(HttpRequest request, string jobId) =>
        $"{request.Scheme}://{request.Host}/api/uploads/{Uri.EscapeDataString(jobId)}";

    private static ObjectResult Problem(int status, string message) => new(new { error = message }) { StatusCode = status };
}
