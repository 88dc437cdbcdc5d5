using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Switchboard.Data;
using Switchboard.Features.Auth;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Features.Auth;

public sealed class SessionsTestsOnSqlite(SqliteApp app) : SessionsTests(app), IClassFixture<SqliteApp>;

public sealed class SessionsTestsOnPostgres(PostgresApp app) : SessionsTests(app), IClassFixture<PostgresApp>;

public abstract class SessionsTests(SwitchboardApp app)
{
    private const string Password = "Sw1tchb0ard-test-pw";

    /// <summary>Signs the user in again: a second session, with a client of its own.</summary>
    private async Task<(HttpClient Client, string Access, string Refresh)> SignInAsync(string username, string password = Password,
        string userAgent = "tests/2.0")
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        var tokens = await (await client.PostAsJsonAsync("/api/auth/token/", new { username, password })).JsonAsync(200);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)tokens["access"]!);
        return (client, (string)tokens["access"]!, (string)tokens["refresh"]!);
    }

    private static long SessionIdOf(string access) => long.Parse(new JsonWebToken(access).GetClaim("sid").Value, System.Globalization.CultureInfo.InvariantCulture);

    private Task<HttpResponseMessage> RefreshAsync(string refresh) =>
        app.CreateClient().PostAsJsonAsync("/api/auth/token/refresh/", new { refresh });

    [Fact]
    public async Task SignIn_TokenNamesItsSession_ListedAsCurrentWithItsDevice()
    {
        var user = await app.CreateUserAsync("sess");
        var second = await SignInAsync(user.Username, userAgent: "SwitchboardTest/1.0");

        var page = await (await second.Client.GetAsync("/api/auth/sessions/")).JsonAsync(200);
        Assert.Equal(2, (int)page["count"]!);
        Assert.Null(page["next"]);
        var sessions = page["results"]!.AsArray().Select(s => s!.AsObject()).ToList();
        Assert.Equal(["id", "created_at", "last_used_at", "user_agent", "ip", "current"], sessions[0].Select(p => p.Key).ToArray());
        var current = Assert.Single(sessions, s => (bool)s["current"]!);
        Assert.Equal(SessionIdOf(second.Access), (long)current["id"]!);
        Assert.Equal("SwitchboardTest/1.0", (string)current["user_agent"]!);
        // The in-memory test server has no client address; ClusterTests check it over real sockets.
        Assert.NotNull((string?)current["ip"]);
        Assert.EndsWith("Z", current["created_at"]!.ToJsonString().Trim('"'), StringComparison.Ordinal);
        Assert.Contains(sessions, s => (long)s["id"]! == SessionIdOf(user.Access) && !(bool)s["current"]!);
    }

    [Fact]
    public async Task Refresh_KeepsTheSession_AndMovesLastUsedAt()
    {
        var user = await app.CreateUserAsync("keep");
        var before = (await (await user.Client.GetAsync("/api/auth/sessions/")).JsonAsync(200))["results"]![0]!;
        var pair = await (await RefreshAsync(user.Refresh)).JsonAsync(200);
        Assert.Equal(SessionIdOf(user.Access), SessionIdOf((string)pair["access"]!));
        var after = (await (await user.Client.GetAsync("/api/auth/sessions/")).JsonAsync(200))["results"]![0]!;
        Assert.True((DateTime)after["last_used_at"]! > (DateTime)before["last_used_at"]!);
        Assert.Equal((DateTime)before["created_at"]!, (DateTime)after["created_at"]!);
    }

    [Fact]
    public async Task Logout_RefusesTheSessionsAccessAndRefreshTokens_AndLeavesOthersAlone()
    {
        var user = await app.CreateUserAsync("out");
        var other = await SignInAsync(user.Username);

        await (await other.Client.PostAsync("/api/auth/logout/", null)).EnsureStatusAsync(204);

        var refused = await (await other.Client.GetAsync("/api/auth/me/")).ProblemAsync(401);
        Assert.Contains("session has ended", (string)refused["detail"]!, StringComparison.OrdinalIgnoreCase);
        await (await RefreshAsync(other.Refresh)).ProblemAsync(401);
        await (await user.Client.GetAsync("/api/auth/me/")).EnsureStatusAsync(200);
        var listed = await (await user.Client.GetAsync("/api/auth/sessions/")).JsonAsync(200);
        Assert.Equal(1, (int)listed["count"]!);
    }

    [Fact]
    public async Task LogoutAll_EndsEverySessionOfTheCaller_Only()
    {
        var user = await app.CreateUserAsync("all");
        var other = await SignInAsync(user.Username);
        var bystander = await app.CreateUserAsync("bystander");

        await (await user.Client.PostAsync("/api/auth/logout_all", null)).EnsureStatusAsync(204);

        await (await user.Client.GetAsync("/api/auth/me/")).ProblemAsync(401);
        await (await other.Client.GetAsync("/api/auth/me/")).ProblemAsync(401);
        await (await RefreshAsync(user.Refresh)).ProblemAsync(401);
        await (await bystander.Client.GetAsync("/api/auth/me/")).EnsureStatusAsync(200);
        // Signing in again starts a fresh session.
        var again = await SignInAsync(user.Username);
        await (await again.Client.GetAsync("/api/auth/me/")).EnsureStatusAsync(200);
    }

    [Fact]
    public async Task DeleteSession_EndsThatOne_AnotherUsersIdIs404()
    {
        var user = await app.CreateUserAsync("del");
        var other = await SignInAsync(user.Username);
        var stranger = await app.CreateUserAsync("stranger");

        await (await stranger.Client.DeleteAsync($"/api/auth/sessions/{SessionIdOf(other.Access)}/")).ProblemAsync(404);
        await (await other.Client.GetAsync("/api/auth/me/")).EnsureStatusAsync(200);
        await (await user.Client.DeleteAsync("/api/auth/sessions/999999999/")).ProblemAsync(404);

        await (await user.Client.DeleteAsync($"/api/auth/sessions/{SessionIdOf(other.Access)}/")).EnsureStatusAsync(204);
        await (await other.Client.GetAsync("/api/auth/me/")).ProblemAsync(401);
        await (await user.Client.GetAsync("/api/auth/me/")).EnsureStatusAsync(200);
        // Ended sessions are not listed, and ending one again is a 404 like any unknown id.
        var listed = await (await user.Client.GetAsync("/api/auth/sessions/")).JsonAsync(200);
        Assert.DoesNotContain(listed["results"]!.AsArray(), s => (long)s!["id"]! == SessionIdOf(other.Access));
        await (await user.Client.DeleteAsync($"/api/auth/sessions/{SessionIdOf(other.Access)}/")).ProblemAsync(404);
    }

    [Fact]
    public async Task Sessions_ArePaginated()
    {
        var user = await app.CreateUserAsync("pages");
        await SignInAsync(user.Username);
        await SignInAsync(user.Username);
        var page = await (await user.Client.GetAsync("/api/auth/sessions/?page_size=2")).JsonAsync(200);
        Assert.Equal(3, (int)page["count"]!);
        Assert.Equal(2, page["results"]!.AsArray().Count);
        Assert.Contains("page=2", (string)page["next"]!, StringComparison.Ordinal);
        await (await user.Client.GetAsync("/api/auth/sessions/?page=9")).ProblemAsync(404);
    }

    [Fact]
    public async Task ChangePassword_EndsOtherSessions_KeepsThisOne_AndTheNewPasswordSignsIn()
    {
        var user = await app.CreateUserAsync("pw");
        var other = await SignInAsync(user.Username);

        var response = await user.Client.PostAsJsonAsync("/api/auth/password/", new { current_password = Password, new_password = "a brand new passphrase" });
        await response.EnsureStatusAsync(204);

        await (await user.Client.GetAsync("/api/auth/me/")).EnsureStatusAsync(200);
        await (await other.Client.GetAsync("/api/auth/me/")).ProblemAsync(401);
        await (await RefreshAsync(other.Refresh)).ProblemAsync(401);
        await (await app.CreateClient().PostAsJsonAsync("/api/auth/token/", new { username = user.Username, password = Password })).ProblemAsync(401);
        await SignInAsync(user.Username, "a brand new passphrase");
    }

    [Theory]
    [InlineData("wrong password", "a brand new passphrase", "current_password")]
    [InlineData(Password, "short", "new_password")]
    [InlineData(Password, "12345678901", "new_password")]
    [InlineData(Password, "password123", "new_password")]
    [InlineData(null, "a brand new passphrase", "current_password")]
    [InlineData(Password, null, "new_password")]
    public async Task ChangePassword_BadInput_Returns400NamingTheField_AndChangesNothing(string? current, string? next, string field)
    {
        var user = await app.CreateUserAsync("pwbad");
        var other = await SignInAsync(user.Username);
        var response = await user.Client.PostAsJsonAsync("/api/auth/password/", new { current_password = current, new_password = next });
        await response.AssertFieldErrorAsync(field);
        await (await other.Client.GetAsync("/api/auth/me/")).EnsureStatusAsync(200);
        await SignInAsync(user.Username);
    }

    [Fact]
    public async Task SessionEndpoints_WithoutAToken_Return401()
    {
        var client = app.CreateClient();
        await (await client.PostAsync("/api/auth/logout/", null)).ProblemAsync(401);
        await (await client.PostAsync("/api/auth/logout_all/", null)).ProblemAsync(401);
        await (await client.GetAsync("/api/auth/sessions/")).ProblemAsync(401);
        await (await client.DeleteAsync("/api/auth/sessions/1/")).ProblemAsync(401);
        await (await client.PostAsJsonAsync("/api/auth/password/", new { current_password = "x", new_password = "y" })).ProblemAsync(401);
    }

    [Fact]
    public async Task RefreshReplay_EndsTheSession_AndItsAccessTokens()
    {
        var user = await app.CreateUserAsync("replay");
        var rotated = await (await RefreshAsync(user.Refresh)).JsonAsync(200);
        await (await RefreshAsync(user.Refresh)).ProblemAsync(401);

        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)rotated["access"]!);
        await (await client.GetAsync("/api/auth/me/")).ProblemAsync(401);
        await (await RefreshAsync((string)rotated["refresh"]!)).ProblemAsync(401);
    }

    [Fact]
    public async Task TokenWithoutASessionClaim_IsRefused()
    {
        var user = await app.CreateUserAsync("nosid");
        var key = app.Services.GetRequiredService<SigningKey>();
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "switchboard",
            Audience = "switchboard",
            Expires = DateTime.UtcNow.AddMinutes(10),
            Subject = new ClaimsIdentity([new Claim("sub", user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
            SigningCredentials = new SigningCredentials(key.Key, SecurityAlgorithms.HmacSha256),
        });
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var problem = await (await client.GetAsync("/api/auth/me/")).ProblemAsync(401);
        Assert.Contains("no session", (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndedSession_RaisesEnded_AndIsRevokedInMemory()
    {
        var revocations = app.Services.GetRequiredService<ISessionRevocations>();
        var user = await app.CreateUserAsync("event");
        var sessionId = SessionIdOf(user.Access);
        var heard = new TaskCompletionSource<SessionEnded>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnEnded(SessionEnded e)
        {
            if (e.SessionId == sessionId)
            {
                heard.TrySetResult(e);
            }
        }
        revocations.Ended += OnEnded;
        try
        {
            Assert.False(revocations.IsRevoked(sessionId));
            await (await user.Client.PostAsync("/api/auth/logout/", null)).EnsureStatusAsync(204);
            var ended = await heard.Task.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(user.Id, ended.UserId);
            Assert.True(revocations.IsRevoked(sessionId));
        }
        finally
        {
            revocations.Ended -= OnEnded;
        }
    }

    [Fact]
    public async Task LegacyRefreshToken_WithoutASession_BecomesASessionOnRefresh()
    {
        var user = await app.CreateUserAsync("legacy");
        // What a refresh token issued before sessions existed looks like in the database.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.RefreshTokens.Where(t => t.UserId == user.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.SessionId, (long?)null));
        }
        var pair = await (await RefreshAsync(user.Refresh)).JsonAsync(200);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)pair["access"]!);
        await (await client.GetAsync("/api/auth/me/")).EnsureStatusAsync(200);
        var listed = await (await client.GetAsync("/api/auth/sessions/")).JsonAsync(200);
        Assert.Contains(listed["results"]!.AsArray(), s => (bool)s!["current"]!);
    }

    /// <summary>The server admin is the first user who registered on this server.</summary>
    private async Task<HttpClient> AdminAsync()
    {
        await app.CreateUserAsync("someone");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var first = await db.Users.OrderBy(u => u.Id).Select(u => u.Username).FirstAsync();
        return (await SignInAsync(first)).Client;
    }

    [Fact]
    public async Task Deactivate_ByTheAdmin_EndsEverySession_AndLoginsFailLikeAWrongPassword()
    {
        var admin = await AdminAsync();
        var victim = await app.CreateUserAsync("victim");
        var other = await SignInAsync(victim.Username);

        await (await admin.PostAsync($"/api/users/{victim.Id}/deactivate/", null)).EnsureStatusAsync(204);

        await (await victim.Client.GetAsync("/api/auth/me/")).ProblemAsync(401);
        await (await other.Client.GetAsync("/api/auth/me/")).ProblemAsync(401);
        await (await RefreshAsync(victim.Refresh)).ProblemAsync(401);
        var rightPassword = await (await app.CreateClient().PostAsJsonAsync("/api/auth/token/", new { username = victim.Username, password = Password })).ProblemAsync(401);
        var wrongPassword = await (await app.CreateClient().PostAsJsonAsync("/api/auth/token/", new { username = victim.Username, password = "not it at all" })).ProblemAsync(401);
        Assert.Equal((string)wrongPassword["detail"]!, (string)rightPassword["detail"]!);
        // Idempotent.
        await (await admin.PostAsync($"/api/users/{victim.Id}/deactivate/", null)).EnsureStatusAsync(204);
    }

    [Fact]
    public async Task Deactivate_ByANonAdmin_Returns403_UnknownUser404_Self400()
    {
        var admin = await AdminAsync();
        var caller = await app.CreateUserAsync("notadmin");
        var target = await app.CreateUserAsync("target");
        await (await caller.Client.PostAsync($"/api/users/{target.Id}/deactivate/", null)).ProblemAsync(403);
        await (await caller.Client.PostAsync("/api/users/99999999/deactivate/", null)).ProblemAsync(403);
        await (await target.Client.GetAsync("/api/auth/me/")).EnsureStatusAsync(200);
        await (await admin.PostAsync("/api/users/99999999/deactivate/", null)).ProblemAsync(404);
        var me = await (await admin.GetAsync("/api/auth/me/")).JsonAsync(200);
        await (await admin.PostAsync($"/api/users/{(int)me["id"]!}/deactivate/", null)).AssertFieldErrorAsync("id");
    }
}
