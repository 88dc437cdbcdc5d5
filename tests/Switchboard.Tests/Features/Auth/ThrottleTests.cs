using System.Net.Http.Json;
using Switchboard.Data;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Features.Auth;

/// <summary>An app whose login and register limits are low enough to hit in a test.</summary>
public sealed class ThrottledApp() : SwitchboardApp(DatabaseProvider.Sqlite, new Dictionary<string, string?>
{
    ["RateLimits:AuthPermitLimit"] = "3",
    ["RateLimits:AuthWindowSeconds"] = "300",
});

public sealed class ThrottleTests(ThrottledApp app) : IClassFixture<ThrottledApp>
{
    [Fact]
    public async Task Token_TooManyAttemptsForOneUsername_Returns429WithRetryAfter()
    {
        var client = app.CreateClient();
        var username = app.Unique("target");
        for (var i = 0; i < 3; i++)
        {
            await (await client.PostAsJsonAsync("/api/auth/token/", new { username, password = "wrong password" })).ProblemAsync(401);
        }
        var limited = await client.PostAsJsonAsync("/api/auth/token/", new { username, password = "wrong password" });
        await limited.ProblemAsync(429);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task Register_TooManyAttemptsFromOneAddress_Returns429WithRetryAfter()
    {
        // Each attempt uses another username, so only the per-address limit can stop them.
        using var fresh = new ThrottledApp();
        var client = fresh.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            await (await client.PostAsJsonAsync("/api/auth/register/", new { username = fresh.Unique("r"), email = "r@example.com", password = "a fine passphrase" }))
                .EnsureStatusAsync(201);
        }
        var limited = await client.PostAsJsonAsync("/api/auth/register/", new { username = fresh.Unique("r"), email = "r@example.com", password = "a fine passphrase" });
        await limited.ProblemAsync(429);
        Assert.NotNull(limited.Headers.RetryAfter);
    }
}
