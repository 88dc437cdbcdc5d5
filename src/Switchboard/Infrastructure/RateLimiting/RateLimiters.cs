using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using RedisRateLimiting;
using StackExchange.Redis;

namespace Switchboard.Infrastructure.RateLimiting;

/// <summary>
/// Login and register attempts: a fixed window of <c>RateLimits:AuthPermitLimit</c> attempts per
/// <c>RateLimits:AuthWindowSeconds</c>, counted per key (client address, username), so neither one
/// address guessing many accounts nor many addresses guessing one account get far.
/// </summary>
public sealed class AuthRateLimiter : IDisposable
{
    private const string KeyPrefix = "switchboard:auth:";
    private readonly SharedRateLimiter<string> _limiter;

    public AuthRateLimiter(IOptions<SwitchboardOptions> options, IServiceProvider services, ILogger<AuthRateLimiter> logger)
    {
        var limits = options.Value.RateLimits;
        var permits = Math.Max(1, limits.AuthPermitLimit);
        var window = TimeSpan.FromSeconds(Math.Max(1, limits.AuthWindowSeconds));
        var local = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = false }));
        var redis = services.GetService<IConnectionMultiplexer>();
        var shared = redis is null ? null : PartitionedRateLimiter.Create<string, string>(key => RedisRateLimitPartition.GetFixedWindowRateLimiter(
            KeyPrefix + key, _ => new RedisFixedWindowRateLimiterOptions { ConnectionMultiplexerFactory = () => redis, PermitLimit = permits, Window = window }));
        _limiter = new SharedRateLimiter<string>(local, shared, window, logger);
    }

    /// <summary>Counts one attempt against every key; returns the seconds to wait when any is over its limit.</summary>
    public async ValueTask<int?> HitAsync(params string[] keys)
    {
        int? retryAfter = null;
        foreach (var key in keys)
        {
            var decision = await _limiter.AcquireAsync(Compact(key));
            if (!decision.Allowed)
            {
                retryAfter = Math.Max(retryAfter ?? 0, decision.RetryAfterSeconds);
            }
        }
        return retryAfter;
    }

    // Keys carry what the client sent (a username may be a megabyte of junk): long ones are hashed.
    private static string Compact(string key) =>
        key.Length <= 200 ? key : key[..64] + "#" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));

    public void Dispose() => _limiter.Dispose();
}

/// <summary>
/// The per-user chat send limit: a token bucket of <c>RateLimits:ChatBurst</c> sends refilled at
/// <c>RateLimits:ChatPerSecond</c>, shared by the user's sockets and REST sends on every instance.
/// </summary>
public sealed class ChatRateLimiter : IDisposable
{
    private const string KeyPrefix = "switchboard:chat-send:";
    private readonly SharedRateLimiter<int> _limiter;

    public ChatRateLimiter(IOptions<SwitchboardOptions> options, IServiceProvider services, ILogger<ChatRateLimiter> logger)
    {
        var limits = options.Value.RateLimits;
        var burst = Math.Max(1, limits.ChatBurst);
        // One token per period: the period carries the rate, also below one send per second.
        var period = TimeSpan.FromTicks(Math.Max(1, (long)(TimeSpan.TicksPerSecond / Math.Max(0.001, limits.ChatPerSecond))));
        var local = PartitionedRateLimiter.Create<int, int>(user => RateLimitPartition.GetTokenBucketLimiter(user, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = period,
                QueueLimit = 0,
                // The partitioned limiter refills every 100 ms by elapsed time; a timer per user would not scale.
                AutoReplenishment = false,
            }));
        var redis = services.GetService<IConnectionMultiplexer>();
        var shared = redis is null ? null : PartitionedRateLimiter.Create<int, string>(user => RedisRateLimitPartition.GetTokenBucketRateLimiter(
            KeyPrefix + user.ToString(System.Globalization.CultureInfo.InvariantCulture), _ => new RedisTokenBucketRateLimiterOptions
            {
                ConnectionMultiplexerFactory = () => redis,
                TokenLimit = burst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = period,
            }));
        _limiter = new SharedRateLimiter<int>(local, shared, period, logger);
    }

    public ValueTask<RateLimitDecision> AcquireAsync(int userId, CancellationToken ct = default) => _limiter.AcquireAsync(userId, ct);

    /// <summary>True when the user may send one more message now.</summary>
    public async ValueTask<bool> TryAcquireAsync(int userId, CancellationToken ct = default) => (await AcquireAsync(userId, ct)).Allowed;

    public void Dispose() => _limiter.Dispose();
}

public static class RateLimitingSetup
{
    public static IServiceCollection AddSwitchboardRateLimits(this IServiceCollection services)
    {
        services.AddSingleton<AuthRateLimiter>();
        services.AddSingleton<ChatRateLimiter>();
        return services;
    }
}
