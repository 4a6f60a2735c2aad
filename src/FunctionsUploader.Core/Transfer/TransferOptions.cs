using System.ComponentModel.DataAnnotations;

namespace FunctionsUploader.Transfer;

/// <summary>Tunables of the transfer engine and its targets; the defaults suit staging-to-vendor copies.</summary>
public sealed class TransferOptions
{
    /// <summary>Parts sent at the same time by one engine (targets that need order send one).</summary>
    [Range(1, 64)]
    public int PartsInFlight { get; set; } = 4;

    /// <summary>The buffer each part in flight is copied through: memory is about PartsInFlight x CopyBufferSize.</summary>
    [Range(4096, 16 * 1024 * 1024)]
    public int CopyBufferSize { get; set; } = 1024 * 1024;

    /// <summary>Quick retries of a part that failed transiently, before the failure is reported.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's delay; later ones back off exponentially, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between quick retries; a Retry-After beyond it is left to the orchestration's retry.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest one attempt at one part may take before it counts as a transient failure.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a read SAS handed to the destination for a server-side copy stays valid.</summary>
    public TimeSpan SourceUrlLifetime { get; set; } = TimeSpan.FromHours(1);
}
