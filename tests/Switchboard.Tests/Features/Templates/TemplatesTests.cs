using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchboard.Tests.Features.Chat;
using Switchboard.Tests.Features.Tickets;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Features.Templates;

public sealed class TemplatesTestsOnSqlite(SqliteApp app) : TemplatesTests(app), IClassFixture<SqliteApp>;

public sealed class TemplatesTestsOnPostgres(PostgresApp app) : TemplatesTests(app), IClassFixture<PostgresApp>;

public abstract class TemplatesTests(SwitchboardApp app)
{
    private static Task<HttpResponseMessage> CreateAsync(TestUser user, object body) => user.Client.PostAsJsonAsync("/api/templates/", body);

    private static async Task<int> PersonalAsync(TestUser user, string shortCode, string content = "Hello {{me.name}}", string title = "A title") =>
        (int)(await (await CreateAsync(user, new { scope = "personal", short_code = shortCode, title, content })).JsonAsync(201))["id"]!;

    private static async Task<int> ProjectTemplateAsync(TestUser user, int project, string shortCode, string content = "Thanks!",
        string title = "A title") =>
        (int)(await (await CreateAsync(user, new { scope = "project", project, short_code = shortCode, title, content })).JsonAsync(201))["id"]!;

    private static async Task<string[]> CodesAsync(TestUser user, string query)
    {
        var page = await (await user.Client.GetAsync("/api/templates/?" + query)).JsonAsync(200);
        return page["results"]!.AsArray().Select(t => (string)t!["short_code"]!).ToArray();
    }

    [Fact]
    public async Task Create_ReturnsTheContractShape()
    {
        var c = await ChatKit.CastAsync(app);
        var response = await CreateAsync(c.Admin, new { scope = "project", project = c.ProjectId, short_code = "greet", title = "Greeting", content = "Hi!" });
        var template = await response.JsonAsync(201);
        Assert.Equal(["id", "scope", "project", "short_code", "title", "content", "created_by", "created_at", "updated_at"],
            template.Select(p => p.Key).ToArray());
        Assert.Equal("project", (string)template["scope"]!);
        Assert.Equal(c.ProjectId, (int)template["project"]!);
        Assert.Equal(c.Admin.Id, (int)template["created_by"]!["id"]!);
        var personal = await (await CreateAsync(c.Member, new { scope = "personal", short_code = "greet", title = "Mine", content = "Yo" })).JsonAsync(201);
        Assert.Null(personal["project"]);
        Assert.Equal("personal", (string)personal["scope"]!);
    }

    [Fact]
    public async Task PersonalTemplates_AreTheOwnersAlone()
    {
        var c = await ChatKit.CastAsync(app);
        var id = await PersonalAsync(c.Member, "mine");
        await (await c.Member.Client.GetAsync($"/api/templates/{id}/")).EnsureStatusAsync(200);
        foreach (var other in new[] { c.Admin, c.Owner, c.Outsider })
        {
            await (await other.Client.GetAsync($"/api/templates/{id}/")).ProblemAsync(404);
            await (await other.Client.PatchAsJsonAsync($"/api/templates/{id}/", new { title = "stolen" })).ProblemAsync(404);
            await (await other.Client.DeleteAsync($"/api/templates/{id}/")).ProblemAsync(404);
            await (await other.Client.PostAsJsonAsync($"/api/templates/{id}/render/", new { })).ProblemAsync(404);
            Assert.DoesNotContain("mine", await CodesAsync(other, ""));
        }
        var changed = await (await c.Member.Client.PatchAsJsonAsync($"/api/templates/{id}/", new { title = "Renamed", short_code = "mine2" })).JsonAsync(200);
        Assert.Equal("Renamed", (string)changed["title"]!);
        Assert.Equal("mine2", (string)changed["short_code"]!);
        await (await c.Member.Client.DeleteAsync($"/api/templates/{id}/")).EnsureStatusAsync(204);
        await (await c.Member.Client.GetAsync($"/api/templates/{id}/")).ProblemAsync(404);
    }

    [Theory]
    [InlineData("owner", 201)]
    [InlineData("admin", 201)]
    [InlineData("member", 403)]
    [InlineData("viewer", 403)]
    [InlineData("outsider", 404)]
    public async Task ProjectTemplates_AreWrittenByAdmins(string role, int status)
    {
        var c = await ChatKit.CastAsync(app);
        var user = role switch { "owner" => c.Owner, "admin" => c.Admin, "member" => c.Member, "viewer" => c.Viewer, _ => c.Outsider };
        var create = await CreateAsync(user, new { scope = "project", project = c.ProjectId, short_code = "try", title = "T", content = "C" });
        await create.EnsureStatusAsync(status);

        var id = await ProjectTemplateAsync(c.Admin, c.ProjectId, "shared");
        var read = await user.Client.GetAsync($"/api/templates/{id}/");
        await read.EnsureStatusAsync(status == 404 ? 404 : 200);
        var patch = await user.Client.PatchAsJsonAsync($"/api/templates/{id}/", new { title = "Changed" });
        await patch.EnsureStatusAsync(status == 201 ? 200 : status);
        var delete = await user.Client.DeleteAsync($"/api/templates/{id}/");
        await delete.EnsureStatusAsync(status == 201 ? 204 : status);
    }

    [Fact]
    public async Task ShortCodes_AreUniquePerOwner()
    {
        var c = await ChatKit.CastAsync(app);
        var other = await app.CreateProjectAsync(c.Owner);
        await PersonalAsync(c.Admin, "dup");
        await (await CreateAsync(c.Admin, new { scope = "personal", short_code = "dup", title = "Again", content = "x" })).ProblemAsync(409);
        // Other owners may use the same code: another user, this project, another project.
        await PersonalAsync(c.Member, "dup");
        await ProjectTemplateAsync(c.Admin, c.ProjectId, "dup");
        await (await CreateAsync(c.Owner, new { scope = "project", project = c.ProjectId, short_code = "dup", title = "T", content = "C" })).ProblemAsync(409);
        await ProjectTemplateAsync(c.Owner, other, "dup");

        var renamed = await PersonalAsync(c.Admin, "other");
        await (await c.Admin.Client.PatchAsJsonAsync($"/api/templates/{renamed}/", new { short_code = "dup" })).ProblemAsync(409);
    }

    [Theory]
    [InlineData("{\"scope\":\"personal\",\"short_code\":\"Upper\",\"title\":\"t\",\"content\":\"c\"}", "short_code")]
    [InlineData("{\"scope\":\"personal\",\"short_code\":\"with space\",\"title\":\"t\",\"content\":\"c\"}", "short_code")]
    [InlineData("{\"scope\":\"personal\",\"short_code\":\"abcdefghijabcdefghijabcdefghijabc\",\"title\":\"t\",\"content\":\"c\"}", "short_code")]
    [InlineData("{\"scope\":\"personal\",\"title\":\"t\",\"content\":\"c\"}", "short_code")]
    [InlineData("{\"scope\":\"team\",\"short_code\":\"a\",\"title\":\"t\",\"content\":\"c\"}", "scope")]
    [InlineData("{\"scope\":\"project\",\"short_code\":\"a\",\"title\":\"t\",\"content\":\"c\"}", "project")]
    [InlineData("{\"scope\":\"personal\",\"short_code\":\"a\",\"title\":\"  \",\"content\":\"c\"}", "title")]
    [InlineData("{\"scope\":\"personal\",\"short_code\":\"a\",\"title\":\"t\",\"content\":\"\"}", "content")]
    [InlineData("{\"scope\":\"personal\",\"short_code\":5,\"title\":\"t\",\"content\":\"c\"}", "short_code")]
    [InlineData("{\"scope\":\"project\",\"project\":\"x\",\"short_code\":\"a\",\"title\":\"t\",\"content\":\"c\"}", "project")]
    public async Task Create_WithBadInput_NamesTheField(string json, string field)
    {
        var user = await app.CreateUserAsync("tplbad");
        await (await user.Client.PostRawAsync("/api/templates/", json)).AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task List_WithProject_IsPersonalPlusThatProjects_AndWithoutIt_AllOfThem()
    {
        var c = await ChatKit.CastAsync(app);
        var other = await app.CreateProjectAsync(c.Admin);
        var foreign = await app.CreateProjectAsync(c.Outsider);
        await PersonalAsync(c.Admin, "p-mine");
        await ProjectTemplateAsync(c.Admin, c.ProjectId, "p-here");
        await ProjectTemplateAsync(c.Admin, other, "p-there");
        await ProjectTemplateAsync(c.Outsider, foreign, "p-foreign");

        Assert.Equal(["p-here", "p-mine", "p-there"], await CodesAsync(c.Admin, ""));
        Assert.Equal(["p-here", "p-mine"], await CodesAsync(c.Admin, $"project={c.ProjectId}"));
        Assert.Equal(["p-here"], await CodesAsync(c.Viewer, ""));
        await (await c.Admin.Client.GetAsync($"/api/templates/?project={foreign}")).ProblemAsync(404);
        await (await c.Admin.Client.GetAsync("/api/templates/?project=abc")).AssertFieldErrorAsync("project");
    }

    [Fact]
    public async Task Search_RanksShortCodePrefixesFirst_ThenTitleAndContentMatches()
    {
        var user = await app.CreateUserAsync("tplsearch");
        await PersonalAsync(user, "zz-refund", title: "Refund policy", content: "We refund within 14 days.");
        await PersonalAsync(user, "apology", title: "Sorry", content: "About the ref mix-up.");
        await PersonalAsync(user, "refund", title: "Money back", content: "Done.");
        await PersonalAsync(user, "ref", title: "Reference", content: "See the docs.");
        await PersonalAsync(user, "unrelated", title: "Nothing", content: "At all.");

        Assert.Equal(["ref", "refund", "apology", "zz-refund"], await CodesAsync(user, "search=ref"));
        Assert.Equal(["refund", "zz-refund"], await CodesAsync(user, "search=REFUND"));
        Assert.Empty(await CodesAsync(user, "search=%25"));
        Assert.Empty(await CodesAsync(user, "search=_"));
    }

    [Fact]
    public async Task Render_FillsVariables_AndListsTheMissingOnes()
    {
        var c = await ChatKit.CastAsync(app);
        await (await c.Participant.Client.PatchAsJsonAsync("/api/auth/me/", new { first_name = "Pat", last_name = "Lee" })).EnsureStatusAsync(200);
        var ticket = await c.Participant.CreateTicketAsync(c.ProjectId, "Printer on fire");
        var id = await PersonalAsync(c.Participant, "all",
            "{{me.name}} in {{room.name}}: {{ticket.key}} {{ticket.title}} ({{ticket.status}}, {{ticket.assignee}}) {{ticket.url}} {{ nope }} {{me.name}}");

        var bare = await (await c.Participant.Client.PostAsJsonAsync($"/api/templates/{id}/render/", new { })).JsonAsync(200);
        Assert.Equal("Pat Lee in {{room.name}}: {{ticket.key}} {{ticket.title}} ({{ticket.status}}, {{ticket.assignee}}) {{ticket.url}} {{ nope }} Pat Lee",
            (string)bare["content"]!);
        Assert.Equal(["room.name", "ticket.key", "ticket.title", "ticket.status", "ticket.assignee", "ticket.url", "nope"],
            bare["missing"]!.AsArray().Select(v => (string)v!).ToArray());
        var empty = await c.Participant.Client.PostAsync($"/api/templates/{id}/render/", null);
        Assert.Equal((string)bare["content"]!, (string)(await empty.JsonAsync(200))["content"]!);

        var full = await (await c.Participant.Client.PostAsJsonAsync($"/api/templates/{id}/render/",
            new { room = c.RoomId, ticket = (int)ticket["id"]! })).JsonAsync(200);
        var key = (string)ticket["key"]!;
        Assert.Equal($"Pat Lee in Team: {key} Printer on fire (open, Unassigned) http://localhost/tickets/{key} {{{{ nope }}}} Pat Lee",
            (string)full["content"]!);
        Assert.Equal(["nope"], full["missing"]!.AsArray().Select(v => (string)v!).ToArray());

        await c.Participant.PatchTicketAsync((int)ticket["id"]!, new JsonObject { ["assignee_id"] = c.Participant.Id, ["status"] = "in_progress" });
        var assigned = await (await c.Participant.Client.PostAsJsonAsync($"/api/templates/{id}/render/",
            new { ticket = (int)ticket["id"]! })).JsonAsync(200);
        Assert.Contains("(in_progress, Pat Lee)", (string)assigned["content"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_WithARoomOrTicketTheCallerMayNotSee_Is404()
    {
        var c = await ChatKit.CastAsync(app);
        var foreignProject = await app.CreateProjectAsync(c.Outsider);
        var foreignTicket = await c.Outsider.CreateTicketAsync(foreignProject, "Hidden");
        var id = await PersonalAsync(c.Member, "probe", "{{room.name}} {{ticket.title}}");
        // The member is in the project but not in the room.
        var room = await c.Member.Client.PostAsJsonAsync($"/api/templates/{id}/render/", new { room = c.RoomId });
        Assert.DoesNotContain("Team", (await room.ProblemAsync(404)).ToJsonString());
        var ticket = await c.Member.Client.PostAsJsonAsync($"/api/templates/{id}/render/", new { ticket = (int)foreignTicket["id"]! });
        Assert.DoesNotContain("Hidden", (await ticket.ProblemAsync(404)).ToJsonString());
        await (await c.Member.Client.PostRawAsync($"/api/templates/{id}/render/", "{\"room\":\"x\"}")).AssertFieldErrorAsync("room");
    }
}
