using System.Net.Http.Json;

namespace Switchboard.Tests.Infrastructure;

public sealed class LoggingTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task Logs_NeverContainPasswordsOrTokens()
    {
        var username = app.Unique("logged");
        const string password = "very-secret-passphrase-42";
        var client = app.CreateClient();
        app.Logs.Clear();

        await (await client.PostAsJsonAsync("/api/auth/register/", new { username, email = "l@example.com", password })).EnsureStatusAsync(201);
        var tokens = await (await client.PostAsJsonAsync("/api/auth/token/", new { username, password })).JsonAsync(200);
        var access = (string)tokens["access"]!;
        var refresh = (string)tokens["refresh"]!;
        await client.PostAsJsonAsync("/api/auth/token/", new { username, password = password + "-wrong" });
        await client.PostAsJsonAsync("/api/auth/token/refresh/", new { refresh });
        await client.GetAsync($"/api/projects/?token={Uri.EscapeDataString(access)}&page=1");
        await client.GetAsync($"/ws/chat/1/?token={Uri.EscapeDataString(access)}");
        await client.GetAsync($"/api/nowhere/?token={Uri.EscapeDataString(access)}");

        var lines = app.Logs.GetSnapshot().Select(r => $"{r.Message} {r.Exception} {string.Join(' ', r.StructuredState?.Select(s => s.Value) ?? [])}").ToList();
        Assert.NotEmpty(lines);
        Assert.Contains(lines, l => l.Contains("token=REDACTED", StringComparison.Ordinal));
        foreach (var line in lines)
        {
            Assert.DoesNotContain(password, line, StringComparison.Ordinal);
            Assert.DoesNotContain(access, line, StringComparison.Ordinal);
            Assert.DoesNotContain(access[..40], line, StringComparison.Ordinal);
            Assert.DoesNotContain(refresh, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EachRequest_LogsOneLineWithMethodPathStatusAndUser()
    {
        var user = await app.CreateUserAsync("traced");
        app.Logs.Clear();
        await user.Client.GetAsync("/api/auth/me/");
        var line = Assert.Single(app.Logs.GetSnapshot(), r => r.Message.StartsWith("HTTP GET /api/auth/me", StringComparison.Ordinal));
        Assert.Contains("responded 200", line.Message, StringComparison.Ordinal);
        Assert.Contains($"user {user.Id}", line.Message, StringComparison.Ordinal);
    }
}

/// <summary>An operator turned every log category up to Information (or appsettings.json was not found).</summary>
public sealed class VerboseLoggingApp() : SwitchboardApp(Switchboard.Data.DatabaseProvider.Sqlite, new Dictionary<string, string?>
{
    ["Logging:LogLevel:Default"] = "Information",
    ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
});

public sealed class VerboseLoggingTests(VerboseLoggingApp app) : IClassFixture<VerboseLoggingApp>
{
    [Fact]
    public async Task Logs_NeverContainTheSocketToken_EvenWithFrameworkLoggingTurnedUp()
    {
        var user = await app.CreateUserAsync("verbose");
        app.Logs.Clear();
        await app.CreateClient().GetAsync($"/ws/chat/1/?token={Uri.EscapeDataString(user.Access)}");
        await app.CreateClient().GetAsync($"/api/projects/?token={Uri.EscapeDataString(user.Access)}");

        var lines = app.Logs.GetSnapshot().Select(r => $"{r.Message} {string.Join(' ', r.StructuredState?.Select(s => s.Value) ?? [])}").ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.DoesNotContain(user.Access[..40], line, StringComparison.Ordinal));
    }
}
