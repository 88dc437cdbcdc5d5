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

    [Theory]
    [InlineData("PUT", "/api/chat/messages/", "GET, POST")]
    [InlineData("DELETE", "/api/projects/", "GET, POST")]
    [InlineData("PUT", "/api/auth/me/", "GET, PATCH")]
    [InlineData("POST", "/api/projects/12/", "GET, PATCH, DELETE")]
    [InlineData("GET", "/api/auth/token", "POST")]
    public async Task WrongMethod_OnAKnownRoute_Returns405WithAllow(string method, string path, string allow)
    {
        var user = await app.CreateUserAsync("method");
        var response = await user.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) });
        var problem = await response.ProblemAsync(405);
        Assert.Equal($"Method \"{method}\" not allowed.", (string)problem["detail"]!);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
    }

    [Fact]
    public async Task WrongMethod_IsTheSameAnswerWhetherOrNotTheResourceIsVisible()
    {
        var owner = await app.CreateUserAsync("owner");
        var outsider = await app.CreateUserAsync("outsider");
        var project = await app.CreateProjectAsync(owner);
        // Seeing the project is still a 404 for the outsider; a method the route never takes says nothing about the project.
        await (await outsider.Client.GetAsync($"/api/projects/{project}/")).ProblemAsync(404);
        foreach (var path in new[] { $"/api/projects/{project}/", "/api/projects/2000000000/" })
        {
            var response = await outsider.Client.PutAsJsonAsync(path, new { name = "mine" });
            await response.ProblemAsync(405);
            Assert.Equal(["GET", "PATCH", "DELETE"], response.Content.Headers.Allow);
        }
    }

    [Fact]
    public async Task WrongMethod_WithoutAToken_Returns405()
    {
        var response = await app.CreateClient().DeleteAsync("/api/projects/");
        await response.ProblemAsync(405);
        Assert.Equal(["GET", "POST"], response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("DELETE", "/api/does-not-exist/")]
    [InlineData("PUT", "/api/projects/abc/")]
    [InlineData("POST", "/api/projects/1/nothing/")]
    [InlineData("PATCH", "/api/")]
    public async Task UnknownApiPath_AnyMethod_Returns404WithoutAllow(string method, string path)
    {
        var user = await app.CreateUserAsync("lost");
        var response = await user.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) });
        var problem = await response.ProblemAsync(404);
        Assert.Equal("No such API endpoint.", (string)problem["detail"]!);
        Assert.Empty(response.Content.Headers.Allow);
    }

    [Fact]
    public async Task WebAppRoutes_GetIndexHtml_WhileApiPathsKeepTheirProblems()
    {
        var webRoot = Directory.CreateTempSubdirectory("switchboard-webroot").FullName;
        await File.WriteAllTextAsync(Path.Combine(webRoot, "index.html"), "<!doctype html><title>Switchboard web app</title>");
        await using var web = new SwitchboardApp(app.Provider, new Dictionary<string, string?> { ["webroot"] = webRoot });
        var client = web.CreateClient();
        // A checkout where the web app has been built serves its own index.html (the build's static
        // assets win over the setting under the test host); either way every page gets the same one.
        var bodies = new List<string>();
        foreach (var page in new[] { "/", "/projects/5/tickets/12", "/chat/rooms/3" })
        {
            var response = await client.GetAsync(page);
            await response.EnsureStatusAsync(200);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }
        Assert.StartsWith("<!doctype html>", bodies[0], StringComparison.OrdinalIgnoreCase);
        Assert.All(bodies, b => Assert.Equal(bodies[0], b));
        await (await client.GetAsync("/api/nothing-here/")).ProblemAsync(404);
        await (await client.DeleteAsync("/api/projects/")).ProblemAsync(405);
    }

    [Fact]
    public async Task EveryDocumentedRoute_AnswersAMethodItDoesNotTakeWith405ListingItsMethods()
    {
        var user = await app.CreateUserAsync("every");
        var doc = JsonNode.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        string[] methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
        var checkedRoutes = 0;
        foreach (var (template, item) in doc["paths"]!.AsObject())
        {
            var documented = item!.AsObject().Select(o => o.Key.ToUpperInvariant()).Where(methods.Contains).ToHashSet();
            var path = System.Text.RegularExpressions.Regex.Replace(template, "{[^}]+}", "1");
            var missing = methods.FirstOrDefault(m => !documented.Contains(m));
            if (!path.StartsWith("/api/", StringComparison.Ordinal) || missing is null)
            {
                continue;
            }
            var response = await user.Client.SendAsync(new HttpRequestMessage(new HttpMethod(missing), path) { Content = JsonContent.Create(new { }) });
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.MethodNotAllowed, $"{missing} {path}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Superset(documented, response.Content.Headers.Allow.ToHashSet());
            Assert.DoesNotContain(missing, response.Content.Headers.Allow);
            checkedRoutes++;
        }
        Assert.True(checkedRoutes > 50, $"only {checkedRoutes} routes checked");
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
