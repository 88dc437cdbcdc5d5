using Microsoft.Extensions.Diagnostics.HealthChecks;
using Switchboard.Data;
using Switchboard.Infrastructure;

namespace Switchboard.Features.Health;

public static class HealthApi
{
    public static IServiceCollection AddSwitchboardHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return services;
    }

    public static void MapHealth(this IEndpointRouteBuilder routes)
    {
        // Live: the process answers. Ready: it can reach what it needs to serve traffic.
        routes.MapHealthChecks("/health/live", new() { Predicate = _ => false, ResponseWriter = WriteAsync })
            .WithName("health_live").AllowAnonymous();
        routes.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteAsync })
            .WithName("health_ready").AllowAnonymous();
    }

    private static Task WriteAsync(HttpContext http, HealthReport report) =>
        http.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString().ToLowerInvariant(),
                description = e.Value.Description,
            }),
        });
}

internal sealed class DatabaseHealthCheck(AppDbContext db, DatabaseOutage outage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            if (await db.Database.CanConnectAsync(cancellationToken))
            {
                return HealthCheckResult.Healthy($"{db.Database.ProviderName} reachable");
            }
            outage.Report("the readiness check could not connect");
            return HealthCheckResult.Unhealthy("database unreachable");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            outage.Report(e);
            return HealthCheckResult.Unhealthy("database unreachable: " + e.GetType().Name);
        }
    }
}
