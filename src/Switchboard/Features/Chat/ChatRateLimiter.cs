using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Switchboard.Infrastructure;

namespace Switchboard.Features.Chat;

/// <summary>
/// The per-user chat send limit: a token bucket holding <c>ChatBurst</c> sends, refilled at
/// <c>ChatPerSecond</c>. Shared by every socket of the user on this instance.
/// </summary>
public sealed class ChatRateLimiter(IOptions<SwitchboardOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<int, Bucket> _buckets = new();

    private sealed class Bucket(double tokens, long stamp)
    {
        public double Tokens = tokens;
        public long Stamp = stamp;
    }

    public bool TryAcquire(int userId)
    {
        var limits = options.Value.RateLimits;
        var now = clock.GetTimestamp();
        var bucket = _buckets.GetOrAdd(userId, _ => new Bucket(limits.ChatBurst, now));
        lock (bucket)
        {
            var elapsed = clock.GetElapsedTime(bucket.Stamp, now).TotalSeconds;
            bucket.Tokens = Math.Min(limits.ChatBurst, bucket.Tokens + elapsed * limits.ChatPerSecond);
            bucket.Stamp = now;
            if (bucket.Tokens < 1)
            {
                return false;
            }
            bucket.Tokens -= 1;
            return true;
        }
    }
}
