using System.Net.Http.Headers;
using Switchboard.Data;
using Switchboard.Tests.Realtime;
using static Switchboard.Tests.Realtime.SocketTestKit;

namespace Switchboard.Tests.Infrastructure;

public sealed class MetricsTestsOnSqlite() : MetricsTests(DatabaseProvider.Sqlite);

public sealed class MetricsTestsOnPostgres() : MetricsTests(DatabaseProvider.Postgres);

public abstract class MetricsTests(DatabaseProvider provider)
{
    private const string Token = "metrics-test-token-0123456789";

    [Fact]
    public async Task Metrics_AreOffByDefault_AndAnswer404()
    {
        using var app = new SwitchboardApp(provider);
        await (await app.CreateClient().GetAsync("/metrics")).ProblemAsync(404);
    }

    [Fact]
    public void Metrics_EnabledWithoutABearerToken_RefuseToStart()
    {
        using var app = new SwitchboardApp(provider, new Dictionary<string, string?> { ["Metrics:Enabled"] = "true" });
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("Metrics:BearerToken", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_WhenEnabled_ExposeTheNamedSeries_OnlyToTheBearerOfTheToken()
    {
        using var app = new KestrelApp(provider, new Dictionary<string, string?>
        {
            ["Metrics:Enabled"] = "true",
            ["Metrics:BearerToken"] = Token,
            ["RateLimits:ChatBurst"] = "2",
            ["RateLimits:ChatPerSecond"] = "0.01",
        });
        var scene = await SceneAsync(app);
        using var bob = await ConnectAsync(app, scene.RoomId, scene.Bob.Access);
        for (var i = 0; i < 3; i++)
        {
            await bob.SendAsync(new { type = "message_send", content = $"m{i}", client_id = $"metrics-{i}" });
        }
        Assert.Equal("rate_limited", (string)(await bob.ReceiveTypeAsync("error"))["code"]!);

        var anonymous = app.CreateClient();
        await (await anonymous.GetAsync("/metrics")).ProblemAsync(404);
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-token-wrong-token");
        await (await anonymous.GetAsync("/metrics")).ProblemAsync(404);

        var scraper = app.CreateClient();
        scraper.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var response = await scraper.GetAsync("/metrics");
        await response.EnsureStatusAsync(200);
        var text = await response.Content.ReadAsStringAsync();
        foreach (var series in new[]
        {
            "http_server_request_duration_seconds_bucket{",
            "http_response_status_code=\"201\"",
            "switchboard_sockets_open",
            "switchboard_socket_deliveries_total",
            "switchboard_rate_limit_refusals_total{",
            "switchboard_database_available",
        })
        {
            Assert.Contains(series, text, StringComparison.Ordinal);
        }
        // Requests by route (the route template, not the raw path) and status.
        Assert.Matches("http_route=\"/?api/chat/rooms/?\"", text);
        if (provider == DatabaseProvider.Postgres)
        {
            Assert.Contains("db_client_connection", text, StringComparison.Ordinal);
        }
    }
}
