using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Data;

namespace Switchboard.Tests.Infrastructure;

public sealed class RobustnessTestsOnSqlite(SqliteApp app) : RobustnessTests(app), IClassFixture<SqliteApp>;

public sealed class RobustnessTestsOnPostgres(PostgresApp app) : RobustnessTests(app), IClassFixture<PostgresApp>;

/// <summary>Bad input of every kind gets a 4xx problem, never a 500; routes take both slash forms.</summary>
public abstract class RobustnessTests(SwitchboardApp app)
{
    [Theory]
    [InlineData("/api/auth/me")]
    [InlineData("/api/auth/me/")]
    [InlineData("/api/projects")]
    [InlineData("/api/projects/")]
    [InlineData("/api/users")]
    [InlineData("/api/users/")]
    public async Task Routes_AnswerWithAndWithoutTrailingSlash_WithoutRedirect(string path)
    {
        var user = await app.CreateUserAsync("slash");
        var response = await user.Client.GetAsync(path);
        await response.EnsureStatusAsync(200);
    }

    [Fact]
    public async Task Post_WithoutTrailingSlash_Works()
    {
        var username = app.Unique("noslash");
        var response = await app.CreateClient().PostAsJsonAsync("/api/auth/register", new { username, email = "n@example.com", password = "a fine passphrase" });
        await response.EnsureStatusAsync(201);
    }

    [Theory]
    [InlineData("/api/does-not-exist/")]
    [InlineData("/api/projects/abc/")]
    [InlineData("/api/")]
    public async Task UnknownApiPath_ReturnsJson404(string path)
    {
        var user = await app.CreateUserAsync("lost");
        var response = await user.Client.GetAsync(path);
        await response.ProblemAsync(404);
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { "/api/projects/", "{not json" },
        { "/api/projects/", "[1,2,3]" },
        { "/api/projects/", "\"a string\"" },
        { "/api/projects/", "{\"key\": 12, \"name\": \"x\"}" },
        { "/api/projects/", "{\"key\": {\"nested\": true}, \"name\": \"x\"}" },
        { "/api/projects/", "{\"key\": \"ABC\", \"name\": [\"x\"]}" },
        { "/api/projects/", "" },
        { "/api/projects/", "null" },
        { "/api/auth/register/", "{\"username\": true}" },
        { "/api/auth/token/", "{\"username\": 1e400, \"password\": \"x\"}" },
        { "/api/auth/token/refresh/", "{\"refresh\": 5}" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task MalformedOrMistypedJson_Returns400Problem(string path, string body)
    {
        var user = await app.CreateUserAsync("bad");
        var response = await user.Client.PostRawAsync(path, body);
        await response.ProblemAsync(400);
    }

    [Fact]
    public async Task WrongTypes_NameTheField()
    {
        var cast = await app.CreateUserAsync("types");
        var project = await app.CreateProjectAsync(cast);
        var response = await cast.Client.PostRawAsync($"/api/projects/{project}/members/", "{\"user_id\": \"seven\", \"role\": \"member\"}");
        await response.AssertFieldErrorAsync("user_id");
        var huge = await cast.Client.PostRawAsync($"/api/projects/{project}/members/", "{\"user_id\": 99999999999999999999999, \"role\": \"member\"}");
        await huge.AssertFieldErrorAsync("user_id");
        var negative = await cast.Client.PostRawAsync($"/api/projects/{project}/members/", "{\"user_id\": -5, \"role\": \"member\"}");
        await negative.AssertFieldErrorAsync("user_id");
        var unknownRole = await cast.Client.PostRawAsync($"/api/projects/{project}/members/", "{\"user_id\": 1, \"role\": \"emperor\"}");
        await unknownRole.AssertFieldErrorAsync("role");
    }

    [Fact]
    public async Task OneMegabyteStrings_Return400NamingTheField()
    {
        var user = await app.CreateUserAsync("big");
        var huge = new string('x', 1024 * 1024);
        await (await user.Client.PostAsJsonAsync("/api/projects/", new { key = "BIG", name = huge })).AssertFieldErrorAsync("name");
        await (await user.Client.PostAsJsonAsync("/api/projects/", new { key = huge, name = "x" })).AssertFieldErrorAsync("key");
        await (await app.CreateClient().PostAsJsonAsync("/api/auth/register/", new { username = huge, email = "x@example.com", password = "a fine passphrase" }))
            .AssertFieldErrorAsync("username");
        var login = await app.CreateClient().PostAsJsonAsync("/api/auth/token/", new { username = huge, password = huge });
        await login.ProblemAsync(401);
    }

    [Fact]
    public async Task HugeOrNegativeIdsInRoutes_Return404()
    {
        var user = await app.CreateUserAsync("ids");
        await (await user.Client.GetAsync("/api/projects/99999999999999999999/")).ProblemAsync(404);
        await (await user.Client.GetAsync("/api/projects/-1/")).ProblemAsync(404);
        await (await user.Client.GetAsync("/api/projects/2147483647/members/")).ProblemAsync(404);
    }

    [Fact]
    public async Task WrongMethod_ReturnsJson4xx()
    {
        var user = await app.CreateUserAsync("method");
        var response = await user.Client.PutAsJsonAsync("/api/auth/me/", new { });
        Assert.True((int)response.StatusCode is 404 or 405);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_LiveAndReady_AnswerWithoutAuth()
    {
        var client = app.CreateClient();
        await (await client.GetAsync("/health/live")).EnsureStatusAsync(200);
        var ready = await (await client.GetAsync("/health/ready")).JsonAsync(200);
        Assert.Equal("healthy", (string)ready["status"]!);
        Assert.Equal("healthy", (string)ready["checks"]!["database"]!["status"]!);
    }

    [Fact]
    public async Task OpenApi_EveryOperationHasAnIdSummaryAndErrorResponses()
    {
        var doc = JsonNode.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var paths = doc["paths"]!.AsObject();
        Assert.Contains("/api/projects/{id}/members", paths.Select(p => p.Key));
        var ids = new HashSet<string>();
        foreach (var (path, item) in paths)
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var id = (string?)operation!["operationId"];
                Assert.False(string.IsNullOrEmpty(id), $"{method} {path} has no operationId");
                Assert.True(ids.Add(id!), $"operationId {id} is used twice");
                Assert.False(string.IsNullOrEmpty((string?)operation["summary"]), $"{method} {path} has no summary");
                if (path.StartsWith("/api/", StringComparison.Ordinal))
                {
                    var responses = operation["responses"]!.AsObject().Select(r => r.Key).ToList();
                    Assert.True(responses.Any(r => r.StartsWith('4')), $"{method} {path} documents no error response");
                }
            }
        }
        await (await app.CreateClient().GetAsync("/docs/")).EnsureSuccessAsync();
    }

    [Fact]
    public async Task Migrations_MatchTheModel()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.False(db.Database.HasPendingModelChanges(), "the model changed without a migration: run scripts/migrations-add.sh");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }
}

internal static class ResponseExtensions
{
    public static async Task EnsureSuccessAsync(this HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode && (int)response.StatusCode is not (301 or 302))
        {
            throw new Xunit.Sdk.XunitException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
