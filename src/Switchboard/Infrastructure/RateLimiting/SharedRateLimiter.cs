using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace Switchboard.Infrastructure.RateLimiting;

/// <summary>The answer of a limiter: allowed, or refused with how long to wait.</summary>
public readonly record struct RateLimitDecision(bool Allowed, TimeSpan RetryAfter)
{
    public static readonly RateLimitDecision Allow = new(true, TimeSpan.Zero);

    /// <summary>Whole seconds for a Retry-After header (at least 1).</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));
}

/// <summary>
/// A partitioned limiter that counts in Redis when Redis is configured, so the limit holds across
/// every instance together, and in this process otherwise. When Redis cannot be reached the
/// in-process limiter answers instead: each instance then enforces the limit alone, which is
/// looser but never lets a Redis outage turn logins or sends into errors.
/// </summary>
public sealed class SharedRateLimiter<TKey>(
    PartitionedRateLimiter<TKey> local, PartitionedRateLimiter<TKey>? shared, TimeSpan defaultRetryAfter, ILogger logger)
    : IDisposable where TKey : notnull
{
    private long _lastFailureLog;

    public async ValueTask<RateLimitDecision> AcquireAsync(TKey key, CancellationToken ct = default)
    {
        RateLimitLease lease;
        if (shared is null)
        {
            lease = local.AttemptAcquire(key);
        }
        else
        {
            try
            {
                lease = await shared.AcquireAsync(key, 1, ct);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogFailure(e);
                lease = local.AttemptAcquire(key);
            }
        }
        using (lease)
        {
            if (lease.IsAcquired)
            {
                return RateLimitDecision.Allow;
            }
            return new RateLimitDecision(false,
                lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : defaultRetryAfter);
        }
    }

    private void LogFailure(Exception e)
    {
        // Once a minute at most: during an outage every request would log otherwise.
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastFailureLog);
        if (now - last > 60_000 && Interlocked.CompareExchange(ref _lastFailureLog, now, last) == last)
        {
            logger.LogWarning("Redis is unreachable for rate limiting ({Error}); limiting per instance meanwhile", e.GetType().Name);
        }
    }

    public void Dispose()
    {
        local.Dispose();
        shared?.Dispose();
    }
}
