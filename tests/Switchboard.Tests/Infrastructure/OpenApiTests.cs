using System.Text.Json.Nodes;
using Switchboard.Infrastructure.OpenApi;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// The OpenAPI document is complete enough to generate a client from: the bearer scheme, the
/// query parameters of the list endpoints, and no stale entries in the transformers' tables.
/// Only SQLite: the document is the same whatever the database.
/// </summary>
public sealed class OpenApiTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static readonly HashSet<string> Anonymous =
    [
        "auth_register", "auth_token", "auth_token_refresh",
        "tickets_attachments_download", "chat_attachments_get", "chat_attachments_thumbnail",
        "users_avatar",
    ];

    private async Task<JsonNode> DocumentAsync() => JsonNode.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"))!;

    private static IEnumerable<(string Path, string Method, JsonNode Operation)> Operations(JsonNode doc) =>
        doc["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (p.Key, o.Key, o.Value!)));

    private static JsonNode Operation(JsonNode doc, string id) =>
        Operations(doc).Single(o => (string?)o.Operation["operationId"] == id).Operation;

    private static List<string> QueryNames(JsonNode operation) =>
        (operation["parameters"]?.AsArray() ?? []).Where(p => (string?)p!["in"] == "query").Select(p => (string)p!["name"]!).ToList();

    // docs/api/openapi.json is the document as the server serves it: client writers read it without
    // running the server, and the web app's types are generated from it (npm run gen:api).
    // UPDATE_OPENAPI=1 rewrites it instead of failing.
    [Fact]
    public async Task CommittedDocument_MatchesWhatTheServerServes()
    {
        var served = await DocumentAsync();
        var path = Path.Combine(DocsTests.Root, "docs", "api", "openapi.json");
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, served.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        }
        // Compared as JSON, not as text: the file's layout is nobody's concern.
        var committed = File.Exists(path) ? JsonNode.Parse(await File.ReadAllTextAsync(path)) : null;
        Assert.True(JsonNode.DeepEquals(committed, served),
            "docs/api/openapi.json differs from the server's document: run UPDATE_OPENAPI=1 dotnet test --filter CommittedDocument_MatchesWhatTheServerServes, then npm run gen:api in web/");
    }

    [Fact]
    public async Task Document_DeclaresTheBearerScheme_AndEveryOperationSaysWhetherItNeedsIt()
    {
        var doc = await DocumentAsync();
        Assert.Equal("bearer", (string?)doc["components"]!["securitySchemes"]!["bearer"]!["scheme"]);
        foreach (var (path, method, operation) in Operations(doc))
        {
            var id = (string)operation["operationId"]!;
            var requirements = operation["security"]?.AsArray().Select(r => r!.AsObject().Select(k => k.Key).ToList()).ToList() ?? [];
            Assert.True(requirements.Count > 0, $"{method} {path} declares no security");
            var needsBearer = requirements.All(r => r.Contains("bearer"));
            if (Anonymous.Contains(id) || !path.StartsWith("/api/", StringComparison.Ordinal))
            {
                Assert.False(needsBearer, $"{method} {path} ({id}) is open to anonymous callers but the document demands a token");
            }
            else
            {
                Assert.True(needsBearer, $"{method} {path} ({id}) needs a token but the document does not say so");
            }
        }
    }

    [Theory]
    [InlineData("tickets_list", "project,status,priority,type,assignee,reporter,label,search,ordering,page,page_size")]
    [InlineData("chat_messages_list", "room,thread,before,after,around,search,page,page_size")]
    [InlineData("chat_threads_list", "room,filter,page,page_size")]
    [InlineData("templates_list", "project,search,page,page_size")]
    [InlineData("notifications_list", "unread,page,page_size")]
    [InlineData("users_list", "search,page,page_size")]
    [InlineData("chat_rooms_list", "project,page,page_size")]
    [InlineData("projects_members_list", "page,page_size")]
    [InlineData("tickets_comments_list", "page,page_size")]
    [InlineData("chat_attachments_get", "u,expires,sig")]
    [InlineData("chat_attachments_thumbnail", "u,expires,sig")]
    public async Task ListEndpoints_DeclareTheirQueryParameters_Once(string operationId, string expected)
    {
        var names = QueryNames(Operation(await DocumentAsync(), operationId));
        foreach (var name in expected.Split(','))
        {
            Assert.True(names.Count(n => n == name) == 1, $"{operationId} should declare ?{name} once; it has: {string.Join(", ", names)}");
        }
    }

    [Fact]
    public async Task TransformerTables_NameOnlyOperationsThatExist()
    {
        var ids = Operations(await DocumentAsync()).Select(o => (string)o.Operation["operationId"]!).ToHashSet();
        var stale = Bodies.Operations.Where(id => !ids.Contains(id)).ToList();
        Assert.True(stale.Count == 0, "Infrastructure/OpenApi names operations that no longer exist: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task BodiesReadByHand_AreDescribed()
    {
        var doc = await DocumentAsync();
        var send = Operation(doc, "chat_messages_send")["requestBody"]!["content"]!;
        Assert.NotNull(send["application/json"]!["schema"]!["properties"]!["client_id"]);
        Assert.NotNull(send["multipart/form-data"]!["schema"]!["properties"]!["attachment"]);
        var create = Operation(doc, "tickets_create")["requestBody"]!["content"]!["application/json"]!["schema"]!;
        Assert.Contains("project", create["required"]!.AsArray().Select(r => (string)r!));
        Assert.NotNull(Operation(doc, "tickets_attachments_upload")["responses"]!["201"]);
        foreach (var (path, method, operation) in Operations(doc))
        {
            Assert.True(operation["responses"]!.AsObject().Any(r => r.Key.StartsWith('2')), $"{method} {path} documents no success response");
        }
    }

    [Fact]
    public async Task ResponseSchemas_TypeTimestampsAndListTheWireNamesOfChoices()
    {
        var schemas = (await DocumentAsync())["components"]!["schemas"]!;
        Assert.Equal("string", (string?)schemas["MessageDto"]!["properties"]!["created_at"]!["type"]);
        var editedAt = schemas["MessageDto"]!["properties"]!["edited_at"]!["type"]!.AsArray().Select(t => (string)t!).ToList();
        Assert.Equal(["null", "string"], editedAt.Order());
        var statuses = schemas["TicketDto"]!["properties"]!["status"]!["enum"]!.AsArray().Select(v => (string)v!);
        Assert.Equal(["open", "in_progress", "resolved", "closed"], statuses);
        Assert.Contains("viewer", schemas["MemberDto"]!["properties"]!["role"]!["enum"]!.AsArray().Select(v => (string)v!));
    }
}
