using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Switchboard.Infrastructure;

/// <summary>The shared Redis connection, present only when Redis:Configuration is set (several instances).</summary>
public static class RedisSetup
{
    public static bool IsRedisConfigured(this IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["Redis:Configuration"]);

    public static IServiceCollection AddSwitchboardRedis(this IServiceCollection services, IConfiguration configuration)
    {
        if (!configuration.IsRedisConfigured())
        {
            return services;
        }
        services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            var options = ConfigurationOptions.Parse(configuration["Redis:Configuration"]!);
            // Start even while Redis is down and keep reconnecting: an outage must never stop the server.
            options.AbortOnConnectFail = false;
            options.ConnectRetry = 3;
            options.ReconnectRetryPolicy = new ExponentialRetry(250, 5000);
            return ConnectionMultiplexer.Connect(options);
        });
        services.AddSingleton<RedisPubSubMode>();
        // Degraded, not unhealthy: without Redis an instance still stores and serves everything, and
        // its sockets catch up when it is back. A load balancer following readiness must not take
        // every instance out at once because the shared Redis blinked.
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", HealthStatus.Degraded, tags: ["ready"]);
        return services;
    }
}

internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy($"redis reachable ({latency.TotalMilliseconds:0.0} ms)");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded("redis unreachable: " + e.GetType().Name + "; fan-out to other instances paused");
        }
    }
}

/// <summary>
/// Whether fan-out uses sharded pub/sub (SSUBSCRIBE/SPUBLISH). A Redis Cluster relays a plain
/// PUBLISH to every node, so plain pub/sub does not grow with shards; a sharded channel lives on the
/// shard that owns its slot. <c>Redis:ShardedPubSub</c>: <c>auto</c> (the default) uses it when the
/// server is a Redis Cluster, <c>true</c> always (Redis 7 or later), <c>false</c> never. Every
/// instance must come to the same answer, since sharded and plain channels do not hear each other.
/// </summary>
public sealed class RedisPubSubMode
{
    private readonly IConnectionMultiplexer _redis;
    private readonly bool? _configured;
    private int _detected; // 0 not known yet (auto, never connected), 1 plain, 2 sharded

    public RedisPubSubMode(IConnectionMultiplexer redis, IConfiguration configuration)
    {
        _redis = redis;
        var setting = configuration["Redis:ShardedPubSub"]?.Trim();
        _configured = string.IsNullOrEmpty(setting) || setting.Equals("auto", StringComparison.OrdinalIgnoreCase) ? null
            : bool.TryParse(setting, out var value) ? value
            : throw new InvalidOperationException($"Redis:ShardedPubSub must be auto, true or false (got '{setting}').");
    }

    /// <summary>True or false once known; null while auto-detection waits for a first connection.</summary>
    public bool? Sharded
    {
        get
        {
            if (_configured is not null)
            {
                return _configured;
            }
            if (Volatile.Read(ref _detected) == 0)
            {
                var connected = _redis.GetServers().Where(s => s.IsConnected).ToList();
                if (connected.Count > 0)
                {
                    Volatile.Write(ref _detected, connected.Any(s => s.ServerType == ServerType.Cluster) ? 2 : 1);
                }
            }
            return _detected switch { 1 => false, 2 => true, _ => null };
        }
    }

    /// <summary>The channel in the mode in use; throws while the mode is not known (Redis unreachable since start).</summary>
    public RedisChannel Channel(string name) => Sharded switch
    {
        true => RedisChannel.Sharded(name),
        false => RedisChannel.Literal(name),
        null => throw NotKnownYet(),
    };

    internal static RedisConnectionException NotKnownYet() => new(ConnectionFailureType.UnableToConnect, CommandFlags.None,
        "Redis has not been reached yet, so whether its pub/sub is sharded is not known", null, CommandStatus.Unknown);
}
