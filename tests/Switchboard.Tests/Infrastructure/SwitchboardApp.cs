using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Switchboard.Data;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// The server in memory on a database of its own: a fresh SQLite file or a fresh PostgreSQL
/// database. Each test registers its own users and projects, so tests share one app per class.
/// </summary>
public class SwitchboardApp : WebApplicationFactory<Program>
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string?> _settings;
    private int _counter;

    public DatabaseProvider Provider { get; }

    public SwitchboardApp(DatabaseProvider provider, IDictionary<string, string?>? settings = null)
    {
        Provider = provider;
        Directory.CreateDirectory(_dataDir);
        _settings = new Dictionary<string, string?>
        {
            ["DataDir"] = _dataDir,
            ["Database:Provider"] = provider.ToString(),
            ["ConnectionStrings:Database"] = provider == DatabaseProvider.Postgres
                ? TestDatabases.CreatePostgresDatabase()
                : $"Data Source={Path.Combine(_dataDir, "test.db")}",
            // Tests log in many times from one address; the throttle tests set their own limits.
            ["RateLimits:AuthPermitLimit"] = "100000",
            ["RateLimits:ChatBurst"] = "100000",
            ["RateLimits:ChatPerSecond"] = "100000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services => services.AddLogging(l => l.AddFakeLogging()));
    }

    public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    public string Unique(string prefix) => $"{prefix}{Interlocked.Increment(ref _counter)}_{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Registers a new user and returns a client that sends its access token.</summary>
    public async Task<TestUser> CreateUserAsync(string? prefix = null, string? firstName = null)
    {
        var username = Unique(prefix ?? "user");
        const string password = "Sw1tchb0ard-test-pw";
        var client = CreateClient();
        var register = await client.PostAsJsonAsync("/api/auth/register/", new
        {
            username,
            email = $"{username}@example.com",
            password,
            first_name = firstName ?? "",
        });
        await register.EnsureStatusAsync(201);
        var user = (await register.Content.ReadFromJsonAsync<JsonObject>())!;
        var token = await client.PostAsJsonAsync("/api/auth/token/", new { username, password });
        await token.EnsureStatusAsync(200);
        var tokens = (await token.Content.ReadFromJsonAsync<JsonObject>())!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)tokens["access"]!);
        return new TestUser((int)user["id"]!, username, password, (string)tokens["access"]!, (string)tokens["refresh"]!, client);
    }

    /// <summary>Creates a project owned by <paramref name="owner"/> and adds the others with the given roles.</summary>
    public async Task<int> CreateProjectAsync(TestUser owner, params (TestUser User, string Role)[] members)
    {
        var key = "P" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant().Replace('-', 'X');
        key = new string(key.Select(c => char.IsAsciiLetterOrDigit(c) ? c : 'X').ToArray());
        var response = await owner.Client.PostAsJsonAsync("/api/projects/", new { key, name = "Project " + key });
        await response.EnsureStatusAsync(201);
        var id = (int)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        foreach (var (user, role) in members)
        {
            var add = await owner.Client.PostAsJsonAsync($"/api/projects/{id}/members/", new { user_id = user.Id, role });
            await add.EnsureStatusAsync(201);
        }
        return id;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                Directory.Delete(_dataDir, recursive: true);
            }
            catch (IOException)
            {
                // A SQLite file still held by a pooled connection; the temp folder is cleaned later.
            }
        }
    }
}

public sealed record TestUser(int Id, string Username, string Password, string Access, string Refresh, HttpClient Client);

public sealed class SqliteApp() : SwitchboardApp(DatabaseProvider.Sqlite);

public sealed class PostgresApp() : SwitchboardApp(DatabaseProvider.Postgres);

public static class HttpAssertions
{
    public static async Task EnsureStatusAsync(this HttpResponseMessage response, int expected)
    {
        if ((int)response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new Xunit.Sdk.XunitException(
                $"Expected {expected} but got {(int)response.StatusCode} for {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {body}");
        }
    }

    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response, int expected)
    {
        await response.EnsureStatusAsync(expected);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Asserts a problem-details error answer and returns it.</summary>
    public static async Task<JsonObject> ProblemAsync(this HttpResponseMessage response, int expected)
    {
        await response.EnsureStatusAsync(expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(expected, (int)problem["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]), "problem details must carry a detail");
        return problem;
    }

    public static async Task AssertFieldErrorAsync(this HttpResponseMessage response, string field)
    {
        var problem = await response.ProblemAsync(400);
        var errors = problem["errors"]?.AsObject();
        Assert.True(errors is not null && errors.ContainsKey(field),
            $"expected errors.{field} in {problem.ToJsonString()}");
    }

    public static Task<HttpResponseMessage> PatchAsJsonAsync<T>(this HttpClient client, string url, T body) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, url) { Content = JsonContent.Create(body) });

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
}
