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
