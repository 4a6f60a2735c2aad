namespace FunctionsUploader.Simulators.Faults;

/// <summary>
/// One injected fault: which requests it matches (vendor, operation, resource id), which of them it fires on
/// (the <see cref="Nth"/> matching request and the <see cref="Times"/> - 1 after it), and what it does.
/// Rules belong to one tenant and count only that tenant's requests.
/// </summary>
public sealed class FaultRule
{
    /// <summary>Only this vendor's requests; null for any vendor.</summary>
    public SimulatedVendor? Vendor { get; set; }

    /// <summary>Only this operation (see GET /_sim/operations); null for any operation.</summary>
    public string? Operation { get; set; }

    /// <summary>Only requests whose route names this id (upload id, asset id, md5); null for any.</summary>
    public string? ResourceId { get; set; }

    /// <summary>The first matching request the rule fires on (1-based).</summary>
    public int Nth { get; set; } = 1;

    /// <summary>How many matching requests it fires on from the Nth; 0 for all of them.</summary>
    public int Times { get; set; } = 1;

    /// <summary>Answer with this status and the vendor's error body instead of handling the request.</summary>
    public int? Status { get; set; }

    /// <summary>Send Retry-After with this many seconds; the status defaults to 429.</summary>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>Reset the connection after reading <see cref="DropAfterBytes"/> of the request body, without handling it.</summary>
    public bool DropConnection { get; set; }

    public long DropAfterBytes { get; set; }

    /// <summary>Handle the request (its effects stay) but reset the connection instead of answering: a lost response.</summary>
    public bool DropResponse { get; set; }

    /// <summary>Wait this long before handling the request.</summary>
    public int DelayMs { get; set; }

    /// <summary>Expire the tenant's access tokens for the vendor now, so this request (and any other) gets 401.</summary>
    public bool ExpireTokens { get; set; }

    /// <summary>The finalize request succeeds but the vendor's processing ends in failure.</summary>
    public bool FailProcessing { get; set; }

    /// <summary>The finalize request succeeds but processing never ends: status reads report it in progress for ever.</summary>
    public bool StallProcessing { get; set; }

    /// <summary>Send the error answer (<see cref="Status"/>) with HTTP 200, as Prepr says it sometimes does.</summary>
    public bool ErrorInOkBody { get; set; }

    internal FaultRule Copy() => (FaultRule)MemberwiseClone();

    internal bool Answers => Status is not null || RetryAfterSeconds is not null;

    /// <summary>Null when the rule is usable, else what is wrong with it.</summary>
    internal string? Validate(IReadOnlyCollection<SimulatedOperation> operations)
    {
        if (Nth < 1 || Times < 0)
        {
            return "nth must be 1 or more and times 0 (every time) or more.";
        }

        if (Status is < 100 or > 599 || RetryAfterSeconds < 0 || DelayMs is < 0 or > 600_000 || DropAfterBytes < 0)
        {
            return "status must be 100..599, retryAfterSeconds and dropAfterBytes not negative, delayMs 0..600000.";
        }

        if (!Answers && !DropConnection && !DropResponse && DelayMs == 0 && !ExpireTokens && !FailProcessing && !StallProcessing)
        {
            return "the rule does nothing: set status, retryAfterSeconds, dropConnection, dropResponse, delayMs, expireTokens, failProcessing or stallProcessing.";
        }

        if (ErrorInOkBody && Status is not >= 400)
        {
            return "errorInOkBody needs the error's status (400 or more) to put inside the 200.";
        }

        if (Operation is not null && !operations.Any(o => (Vendor is null || o.Vendor == Vendor) && string.Equals(o.Name, Operation, StringComparison.OrdinalIgnoreCase)))
        {
            var names = operations.Where(o => Vendor is null || o.Vendor == Vendor).Select(o => $"{o.Vendor.RouteName()}.{o.Name}");
            return $"unknown operation '{Operation}'; known: {string.Join(", ", names)}.";
        }

        return null;
    }

    internal bool Matches(SimulatedOperation operation, RouteValueDictionary routeValues) =>
        (Vendor is null || Vendor == operation.Vendor) &&
        (Operation is null || string.Equals(Operation, operation.Name, StringComparison.OrdinalIgnoreCase)) &&
        (ResourceId is null || routeValues.Values.Any(v => string.Equals(v as string, ResourceId, StringComparison.OrdinalIgnoreCase)));

    /// <summary>What the rule does, for the request log.</summary>
    internal string Describe()
    {
        var effects = new List<string>();
        if (DelayMs > 0)
        {
            effects.Add($"delay {DelayMs} ms");
        }

        if (ExpireTokens)
        {
            effects.Add("expire tokens");
        }

        if (FailProcessing)
        {
            effects.Add("fail processing");
        }

        if (StallProcessing)
        {
            effects.Add("stall processing");
        }

        if (DropConnection)
        {
            effects.Add($"drop connection after {DropAfterBytes} bytes");
        }

        if (Answers)
        {
            effects.Add(RetryAfterSeconds is { } seconds ? $"status {Status ?? 429} retry-after {seconds} s" : ErrorInOkBody ? $"status {Status} inside a 200" : $"status {Status}");
        }

        if (DropResponse)
        {
            effects.Add("drop response");
        }

        return string.Join(", ", effects);
    }
}
