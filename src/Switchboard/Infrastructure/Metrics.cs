using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using OpenTelemetry.Metrics;
using StackExchange.Redis;
using Switchboard.Realtime;

namespace Switchboard.Infrastructure;

/// <summary>
/// Switchboard's own instruments. Counters are static (incremented deep in the socket code, which
/// has no container at hand); they cost next to nothing while nobody listens, which is the default.
/// </summary>
public static class SwitchboardMetrics
{
    public const string MeterName = "Switchboard";
    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Deliveries = Meter.CreateCounter<long>(
        "switchboard.socket.deliveries", "{frame}", "Frames queued to sockets (one per socket per event).");

    public static readonly Counter<long> SendQueueDrops = Meter.CreateCounter<long>(
        "switchboard.socket.send_queue.drops", "{frame}", "Frames not delivered because a socket's send queue was full (kind: typing, or slow_socket when the socket was closed).");

    public static readonly Counter<long> RateLimited = Meter.CreateCounter<long>(
        "switchboard.rate_limit.refusals", "{request}", "Requests and frames refused by a rate limit (limit: chat or auth).");

    public static readonly Counter<long> GroupCommits = Meter.CreateCounter<long>(
        "switchboard.database.group_commits", "{transaction}", "Transactions the SQLite group-commit writer committed.");

    public static readonly Counter<long> GroupCommitSends = Meter.CreateCounter<long>(
        "switchboard.database.group_commit.sends", "{message}", "Chat sends those transactions held (sends / transactions = the mean batch).");

    public static void DroppedTyping() => SendQueueDrops.Add(1, new KeyValuePair<string, object?>("kind", "typing"));

    public static void ClosedSlowSocket() => SendQueueDrops.Add(1, new KeyValuePair<string, object?>("kind", "slow_socket"));

    public static void Refused(string limit) => RateLimited.Add(1, new KeyValuePair<string, object?>("limit", limit));
}

/// <summary>
/// Metrics:Enabled turns on OpenTelemetry metrics with a Prometheus endpoint at /metrics, which
/// answers only requests carrying <c>Authorization: Bearer {Metrics:BearerToken}</c>; everyone
/// else, and everyone while metrics are off, gets 404.
/// </summary>
public static class MetricsSetup
{
    public const string Path = "/metrics";

    public static IServiceCollection AddSwitchboardMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        if (!configuration.GetValue<bool>("Metrics:Enabled"))
        {
            return services;
        }
        var token = configuration["Metrics:BearerToken"];
        if (string.IsNullOrWhiteSpace(token) || token.Length < 16)
        {
            // Never public by accident: an operator who turns metrics on says who may read them.
            throw new InvalidOperationException("Metrics:Enabled needs Metrics:BearerToken (16 characters or more) for the scraper to send.");
        }
        services.AddSingleton<StateGauges>();
        services.AddOpenTelemetry().WithMetrics(m => m
            .AddMeter(SwitchboardMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Npgsql")
            .AddView("http.server.request.duration", new ExplicitBucketHistogramConfiguration
            {
                Boundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
            })
            .AddPrometheusExporter());
        return services;
    }

    public static void UseSwitchboardMetrics(this WebApplication app)
    {
        var enabled = app.Configuration.GetValue<bool>("Metrics:Enabled");
        var expected = enabled ? Encoding.UTF8.GetBytes("Bearer " + app.Configuration["Metrics:BearerToken"]) : [];
        if (enabled)
        {
            app.Services.GetRequiredService<StateGauges>();
        }
        app.UseWhen(http => http.Request.Path.Equals(Path, StringComparison.OrdinalIgnoreCase), branch =>
        {
            branch.Use(async (http, next) =>
            {
                var given = Encoding.UTF8.GetBytes(http.Request.Headers.Authorization.ToString());
                if (!enabled || !CryptographicOperations.FixedTimeEquals(given, expected))
                {
                    await Problems.NotFound("Not found.").ExecuteAsync(http);
                    return;
                }
                await next(http);
            });
            if (enabled)
            {
                branch.UseOpenTelemetryPrometheusScrapingEndpoint();
            }
        });
    }

    /// <summary>Gauges that read this instance's state when scraped.</summary>
    private sealed class StateGauges
    {
        public StateGauges(IMeterFactory meters, ConnectionRegistry registry, DatabaseOutage outage, IServiceProvider services)
        {
            var meter = meters.Create(SwitchboardMetrics.MeterName);
            meter.CreateObservableGauge("switchboard.sockets.open", () => registry.Count, "{socket}", "Chat sockets open on this instance.");
            meter.CreateObservableGauge("switchboard.database.available", () => outage.IsDown ? 0 : 1, null,
                "1 while the database answers, 0 during an outage.");
            var redis = services.GetService<IConnectionMultiplexer>();
            if (redis is not null)
            {
                meter.CreateObservableGauge("switchboard.redis.connected", () => redis.IsConnected ? 1 : 0, null,
                    "1 while Redis is connected (fan-out across instances works), 0 otherwise.");
            }
        }
    }
}
