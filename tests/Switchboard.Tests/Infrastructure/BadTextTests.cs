using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static Switchboard.Tests.Realtime.SocketTestKit;

namespace Switchboard.Tests.Infrastructure;

public sealed class BadTextTestsOnSqlite(SqliteApp app) : BadTextTests(app), IClassFixture<SqliteApp>;

public sealed class BadTextTestsOnPostgres(PostgresApp app) : BadTextTests(app), IClassFixture<PostgresApp>;

/// <summary>
/// Text no database can store (NUL, which PostgreSQL's text refuses) and bodies that are not
/// UTF-8 are 400s naming the field on every route, never 500s.
/// </summary>
public abstract class BadTextTests(SwitchboardApp app)
{
    private const string Nul = "a\u0000b";

    /// <summary>A project with a ticket, a comment, a room and a message, owned by the returned user.</summary>
    private async Task<(TestUser Owner, TestUser Other, int Project, int Ticket, string TicketKey, int Comment, int Room, int Message)> WorldAsync()
    {
        var scene = await SceneAsync(app);
        var ticket = await (await scene.Alice.Client.PostAsJsonAsync("/api/tickets/", new { project = scene.ProjectId, title = "A ticket" })).JsonAsync(201);
        var comment = await (await scene.Alice.Client.PostAsJsonAsync($"/api/tickets/{(int)ticket["id"]!}/comments/", new { body = "A comment" })).JsonAsync(201);
        var message = await scene.Alice.SendRestAsync(scene.RoomId, "A message");
        return (scene.Alice, scene.Bob, scene.ProjectId, (int)ticket["id"]!, (string)ticket["key"]!, (int)comment["id"]!, scene.RoomId, (int)message["id"]!);
    }

    private static Task<HttpResponseMessage> SendJsonAsync(HttpClient client, HttpMethod method, string url, string json) =>
        client.SendAsync(new HttpRequestMessage(method, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    [Fact]
    public async Task TicketTitle_WithNul_Returns400NamingTitle()
    {
        var world = await WorldAsync();
        var create = await world.Owner.Client.PostAsJsonAsync("/api/tickets/", new { project = world.Project, title = Nul });
        await create.AssertFieldErrorAsync("title");
        var patch = await world.Owner.Client.PatchAsJsonAsync($"/api/tickets/{world.Ticket}/", new { title = Nul });
        await patch.AssertFieldErrorAsync("title");
        var labels = await world.Owner.Client.PatchAsJsonAsync($"/api/tickets/{world.Ticket}/", new { labels = new[] { "ok", Nul } });
        await labels.AssertFieldErrorAsync("labels");
    }

    public static TheoryData<string, string, string, string> NulFields => new()
    {
        // method, url template, JSON body with a NUL, the field the error must name
        { "POST", "/api/projects/", """{"key": "NUL", "name": "a\u0000b"}""", "name" },
        { "PATCH", "/api/projects/{project}/", """{"description": "a\u0000b"}""", "description" },
        { "POST", "/api/projects/{project}/members/", """{"user_id": {other}, "role": "a\u0000b"}""", "role" },
        { "POST", "/api/tickets/", """{"project": {project}, "title": "x", "description": "a\u0000b"}""", "description" },
        { "POST", "/api/tickets/{ticket}/comments/", """{"body": "a\u0000b"}""", "body" },
        { "PATCH", "/api/tickets/{ticket}/comments/{comment}/", """{"body": "a\u0000b"}""", "body" },
        { "POST", "/api/chat/rooms/", """{"name": "a\u0000b", "type": "group", "project": {project}}""", "name" },
        { "POST", "/api/chat/messages/", """{"room": {room}, "content": "a\u0000b", "type": "text"}""", "content" },
        { "POST", "/api/chat/messages/", """{"room": {room}, "content": "fine", "client_id": "a\u0000b"}""", "client_id" },
        { "PATCH", "/api/chat/messages/{message}/", """{"content": "a\u0000b"}""", "content" },
        { "POST", "/api/chat/messages/{message}/add_reaction/", """{"emoji": "a\u0000b"}""", "emoji" },
        { "POST", "/api/auth/register/", """{"username": "nul_user", "email": "a\u0000b@example.com", "password": "a fine passphrase"}""", "email" },
        { "POST", "/api/auth/register/", """{"username": "nul_user2", "email": "n@example.com", "password": "a fine passphrase", "first_name": "a\u0000b"}""", "first_name" },
        { "POST", "/api/auth/token/", """{"username": "a\u0000b", "password": "whatever it is"}""", "username" },
        { "POST", "/api/auth/password/", """{"current_password": "x", "new_password": "a\u0000b long enough"}""", "new_password" },
    };

    [Theory]
    [MemberData(nameof(NulFields))]
    public async Task NulInAnyTextField_Returns400NamingTheField(string method, string template, string body, string field)
    {
        var world = await WorldAsync();
        string Fill(string s) => s.Replace("{project}", world.Project.ToString()).Replace("{ticket}", world.Ticket.ToString())
            .Replace("{comment}", world.Comment.ToString()).Replace("{room}", world.Room.ToString())
            .Replace("{message}", world.Message.ToString()).Replace("{other}", world.Other.Id.ToString());
        var response = await SendJsonAsync(world.Owner.Client, new HttpMethod(method), Fill(template), Fill(body));
        await response.AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task MultipartMessageField_WithNul_Returns400NamingTheField()
    {
        var world = await WorldAsync();
        using var form = new MultipartFormDataContent
        {
            { new StringContent(world.Room.ToString()), "room" },
            { new StringContent("a\0b"), "content" },
        };
        await (await world.Owner.Client.PostAsync("/api/chat/messages/", form)).AssertFieldErrorAsync("content");
    }

    [Theory]
    [InlineData("/api/projects/")]
    [InlineData("/api/tickets/")]
    [InlineData("/api/auth/register/")]
    [InlineData("/api/auth/token/")]
    [InlineData("/api/chat/messages/")]
    public async Task JsonBody_WithInvalidUtf8_Returns400(string url)
    {
        var world = await WorldAsync();
        // "name"/"title"/"content" hold the bytes FF FE: no UTF-8 text starts so.
        var bytes = Encoding.UTF8.GetBytes($$"""{"project": {{world.Project}}, "room": {{world.Room}}, "key": "BAD", "username": "u", "password": "p", "email": "e@example.com", "title": "X""")
            .Concat(new byte[] { 0xFF, 0xFE }).Concat(Encoding.UTF8.GetBytes("\", \"name\": \"n\", \"content\": \"c\"}")).ToArray();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var problem = await (await world.Owner.Client.PostAsync(url, content)).ProblemAsync(400);
        Assert.Contains("UTF-8", (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryString_WithNul_Returns400NamingTheParameter()
    {
        var world = await WorldAsync();
        await (await world.Owner.Client.GetAsync("/api/tickets/?search=a%00b")).AssertFieldErrorAsync("search");
        await (await world.Owner.Client.GetAsync("/api/users/?search=a%00b")).AssertFieldErrorAsync("search");
        await (await world.Owner.Client.GetAsync($"/api/chat/messages/?room={world.Room}&search=a%00b")).AssertFieldErrorAsync("search");
        await (await world.Owner.Client.GetAsync("/api/tickets/?label=a%00b")).AssertFieldErrorAsync("label");
    }

    /// <summary>
    /// Every API route that takes a body, called with bodies of each bad kind: the answer is a 4xx
    /// problem (what kind depends on the route), never a 500.
    /// </summary>
    [Fact]
    public async Task EveryRoute_WithNulOrInvalidUtf8Bodies_AnswersWithoutAServerError()
    {
        var world = await WorldAsync();
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Route: e.RoutePattern.RawText!)))
            .Where(r => r.Method is "POST" or "PATCH" or "PUT")
            .Distinct().ToList();
        Assert.True(routes.Count >= 20, $"only {routes.Count} routes found");

        var strings = new[] { "title", "name", "key", "description", "body", "content", "type", "status", "priority", "role", "emoji",
            "username", "email", "password", "first_name", "last_name", "refresh", "current_password", "new_password", "client_id", "due_date" };
        var nulBody = new JsonObject();
        foreach (var name in strings)
        {
            nulBody[name] = Nul;
        }
        nulBody["labels"] = new JsonArray(Nul);
        var invalidUtf8 = Encoding.UTF8.GetBytes("{\"title\": \"").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\"}")).ToArray();

        var failures = new List<string>();
        foreach (var (method, route) in routes)
        {
            var url = FillRoute(route, world);
            var bodies = new List<HttpContent> { new StringContent(nulBody.ToJsonString(), Encoding.UTF8, "application/json") };
            var raw = new ByteArrayContent(invalidUtf8);
            raw.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            bodies.Add(raw);
            foreach (var body in bodies)
            {
                var response = await world.Owner.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = body });
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{method} {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string FillRoute(string route, (TestUser Owner, TestUser Other, int Project, int Ticket, string TicketKey, int Comment, int Room, int Message) w)
    {
        var id = route switch
        {
            _ when route.StartsWith("/api/projects", StringComparison.Ordinal) => w.Project,
            _ when route.StartsWith("/api/tickets", StringComparison.Ordinal) => w.Ticket,
            _ when route.StartsWith("/api/chat/rooms", StringComparison.Ordinal) => w.Room,
            _ when route.StartsWith("/api/chat/messages", StringComparison.Ordinal) => w.Message,
            _ when route.StartsWith("/api/users", StringComparison.Ordinal) => w.Other.Id,
            _ => 1,
        };
        var url = System.Text.RegularExpressions.Regex.Replace(route, @"\{(\w+)(:[^}]*)?\}", m => m.Groups[1].Value switch
        {
            "id" => id.ToString(),
            "commentId" => w.Comment.ToString(),
            "userId" => w.Other.Id.ToString(),
            "roomId" => w.Room.ToString(),
            "key" => w.TicketKey,
            _ => "1",
        });
        return url.EndsWith('/') ? url : url + "/";
    }
}
