namespace FunctionsUploader.Vendors;

/// <summary>
/// A bearer token (or login session) and when it stops working. <paramref name="Key"/> is the second half of a pair
/// some vendors issue with the token (Picovico's access key): as secret as the token, never printed.
/// </summary>
public sealed record AccessToken(string Value, DateTimeOffset ExpiresOn, string? RefreshToken = null, string? Key = null)
{
    public override string ToString() => $"AccessToken(expires {ExpiresOn:O})";
}

/// <summary>
/// Caches a vendor's token and fetches a new one shortly before it expires, or when the vendor says it is no
/// longer valid (401). One fetch at a time: parallel part uploads do not log in fifty times.
/// </summary>
public sealed class AccessTokenCache(Func<AccessToken?, CancellationToken, Task<AccessToken>> fetch, TimeProvider? time = null)
{
    /// <summary>Refresh this long before the stated expiry, so a token never runs out mid-request.</summary>
    public static readonly TimeSpan Skew = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private AccessToken? _current;

    public async Task<AccessToken> GetAsync(CancellationToken cancellationToken)
    {
        var token = _current;
        if (IsFresh(token))
        {
            return token!;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!IsFresh(_current))
            {
                // The previous token goes along so a refresh-token grant can use it.
                _current = await fetch(_current, cancellationToken);
            }

            return _current!;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops <paramref name="rejected"/> (if it is still the cached one) so the next call fetches a new token.</summary>
    public void Invalidate(AccessToken rejected)
    {
        if (ReferenceEquals(_current, rejected))
        {
            _current = rejected with { ExpiresOn = DateTimeOffset.MinValue };
        }
    }

    private bool IsFresh(AccessToken? token) => token is not null && token.ExpiresOn > _time.GetUtcNow() + Skew;
}
