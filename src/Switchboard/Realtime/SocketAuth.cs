using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Switchboard.Features.Auth;
using Switchboard.Infrastructure;

namespace Switchboard.Realtime;

public sealed record SocketIdentity(int UserId, DateTime ExpiresAt);

/// <summary>Checks an access token the way the REST API's bearer authentication does.</summary>
public sealed class AccessTokenValidator(SigningKey key, IOptions<SwitchboardOptions> options)
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public async Task<SocketIdentity?> ValidateAsync(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 4096)
        {
            return null;
        }
        var result = await _handler.ValidateTokenAsync(token, TokenService.ValidationParameters(key, options.Value.Jwt));
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt ||
            !int.TryParse(jwt.Subject, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var userId))
        {
            return null;
        }
        return new SocketIdentity(userId, jwt.ValidTo);
    }
}

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
                Infrastructure.SwitchboardMetrics.Refused("chat");
                return false;
            }
            bucket.Tokens -= 1;
            return true;
        }
    }
}

/// <summary>What the socket needs from the chat feature: who may join, and the actions a frame asks for.</summary>
public interface IChatSocketBackend
{
    Task<bool> IsParticipantAsync(int roomId, int userId, CancellationToken ct);

    /// <summary>Carries out a message or reaction frame; returns null, or the frame to send back to the sender alone (an error).</summary>
    Task<object?> ExecuteAsync(int roomId, int userId, ClientFrame frame, CancellationToken ct);
}
