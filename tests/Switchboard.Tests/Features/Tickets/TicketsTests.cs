using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Features.Tickets;

public sealed class TicketsTestsOnSqlite(SqliteTicketsApp app) : TicketsTests(app), IClassFixture<SqliteTicketsApp>;

public sealed class TicketsTestsOnPostgres(PostgresTicketsApp app) : TicketsTests(app), IClassFixture<PostgresTicketsApp>;

public abstract class TicketsTests(TicketsApp app)
{
    [Fact]
    public async Task Create_ReturnsTheTicketWithDefaultsKeyAndNumber()
    {
        var cast = await app.CastAsync();
        var ticket = await cast.Member.CreateTicketAsync(cast.ProjectId, "  Printer on fire  ");
        Assert.Equal(
            ["id", "project", "key", "number", "title", "description", "status", "priority", "type", "reporter", "assignee", "labels",
             "due_date", "comment_count", "created_at", "updated_at", "resolved_at", "source_message", "discussion"],
            ticket.Select(p => p.Key).ToArray());
        Assert.Null(ticket["source_message"]);
        Assert.Null(ticket["discussion"]);
        Assert.Equal(cast.ProjectId, (int)ticket["project"]!);
        Assert.Equal(1, (int)ticket["number"]!);
        Assert.Equal($"{cast.Key}-1", (string)ticket["key"]!);
        Assert.Equal("Printer on fire", (string)ticket["title"]!);
        Assert.Equal("", (string)ticket["description"]!);
        Assert.Equal("open", (string)ticket["status"]!);
        Assert.Equal("medium", (string)ticket["priority"]!);
        Assert.Equal("task", (string)ticket["type"]!);
        Assert.Equal(cast.Member.Id, (int)ticket["reporter"]!["id"]!);
        Assert.Null(ticket["assignee"]);
        Assert.Empty(ticket["labels"]!.AsArray());
        Assert.Null(ticket["due_date"]);
        Assert.Equal(0, (int)ticket["comment_count"]!);
        Assert.Null(ticket["resolved_at"]);
        Assert.EndsWith("Z", (string)ticket["created_at"]!);
        var second = await cast.Member.CreateTicketAsync(cast.ProjectId, "Second");
        Assert.Equal(2, (int)second["number"]!);
    }

    [Fact]
    public async Task Create_WithEveryField_StoresThem()
    {
        var cast = await app.CastAsync();
        var ticket = await cast.Member.CreateTicketAsync(cast.ProjectId, "Full", new JsonObject
        {
            ["description"] = "Details",
            ["priority"] = "urgent",
            ["type"] = "bug",
            ["assignee_id"] = cast.Admin.Id,
            ["labels"] = new JsonArray(" Backend ", "ui", "backend", "UI"),
            ["due_date"] = "2030-02-28",
        });
        Assert.Equal("Details", (string)ticket["description"]!);
        Assert.Equal("urgent", (string)ticket["priority"]!);
        Assert.Equal("bug", (string)ticket["type"]!);
        Assert.Equal(cast.Admin.Id, (int)ticket["assignee"]!["id"]!);
        Assert.Equal(["Backend", "ui"], ticket["labels"]!.AsArray().Select(l => (string)l!).ToArray());
        Assert.Equal("2030-02-28", (string)ticket["due_date"]!);
    }

    [Fact]
    public async Task Create_IgnoresReadOnlyFields()
    {
        var cast = await app.CastAsync();
        var ticket = await cast.Member.CreateTicketAsync(cast.ProjectId, "Sneaky", new JsonObject
        {
            ["reporter"] = cast.Owner.Id,
            ["reporter_id"] = cast.Owner.Id,
            ["number"] = 999,
            ["key"] = "HACK-1",
            ["created_at"] = "2000-01-01T00:00:00Z",
            ["comment_count"] = 42,
            ["resolved_at"] = "2000-01-01T00:00:00Z",
            ["id"] = 12345,
        });
        Assert.Equal(cast.Member.Id, (int)ticket["reporter"]!["id"]!);
        Assert.Equal(1, (int)ticket["number"]!);
        Assert.Equal($"{cast.Key}-1", (string)ticket["key"]!);
        Assert.Equal(0, (int)ticket["comment_count"]!);
        Assert.Null(ticket["resolved_at"]);
        Assert.DoesNotContain("2000", (string)ticket["created_at"]!, StringComparison.Ordinal);
        var patched = await cast.Member.PatchTicketAsync((int)ticket["id"]!, new JsonObject { ["number"] = 7, ["reporter"] = cast.Admin.Id, ["project"] = 1 });
        Assert.Equal(1, (int)patched["number"]!);
        Assert.Equal(cast.Member.Id, (int)patched["reporter"]!["id"]!);
        Assert.Equal(cast.ProjectId, (int)patched["project"]!);
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { "title", """{"title": ""}""" },
        { "title", """{"title": "   "}""" },
        { "title", $$"""{"title": "{{new string('x', 201)}}"}""" },
        { "title", """{"title": null}""" },
        { "title", """{"title": 5}""" },
        { "description", $$"""{"title": "x", "description": "{{new string('x', 20_001)}}"}""" },
        { "status", """{"title": "x", "status": "bogus"}""" },
        { "status", """{"title": "x", "status": 1}""" },
        { "priority", """{"title": "x", "priority": "critical"}""" },
        { "priority", """{"title": "x", "priority": "HIGH"}""" },
        { "type", """{"title": "x", "type": "epic"}""" },
        { "assignee_id", """{"title": "x", "assignee_id": "abc"}""" },
        { "assignee_id", """{"title": "x", "assignee_id": -1}""" },
        { "assignee_id", """{"title": "x", "assignee_id": 99999999999}""" },
        { "assignee_id", """{"title": "x", "assignee_id": 2147483647}""" },
        { "labels", """{"title": "x", "labels": "bug"}""" },
        { "labels", """{"title": "x", "labels": [1]}""" },
        { "labels", """{"title": "x", "labels": [""]}""" },
        { "labels", $$"""{"title": "x", "labels": ["{{new string('l', 51)}}"]}""" },
        { "labels", $$"""{"title": "x", "labels": [{{string.Join(",", Enumerable.Range(0, 21).Select(i => $"\"l{i}\""))}}]}""" },
        { "due_date", """{"title": "x", "due_date": "2025-13-01"}""" },
        { "due_date", """{"title": "x", "due_date": "01/02/2025"}""" },
        { "due_date", """{"title": "x", "due_date": "2025-01-01T00:00:00Z"}""" },
        { "due_date", """{"title": "x", "due_date": 20250101}""" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task CreateAndUpdate_InvalidField_Returns400NamingIt(string field, string json)
    {
        var cast = await app.CastAsync();
        var body = JsonNode.Parse(json)!.AsObject();
        body["project"] = cast.ProjectId;
        await (await cast.Member.Client.PostAsJsonAsync("/api/tickets/", body)).AssertFieldErrorAsync(field);
        var ticket = await cast.Member.CreateTicketAsync(cast.ProjectId);
        body.Remove("project");
        if (field != "title")
        {
            body.Remove("title");
        }
        await (await cast.Member.Client.PatchAsJsonAsync($"/api/tickets/{ticket["id"]}/", body)).AssertFieldErrorAsync(field);
    }

    [Fact]
    public async Task Create_MissingFieldsOrOutsiderAssignee_Return400()
    {
        var cast = await app.CastAsync();
        var missing = await (await cast.Member.Client.PostAsJsonAsync("/api/tickets/", new { })).ProblemAsync(400);
        Assert.True(missing["errors"]!.AsObject().ContainsKey("project"));
        Assert.True(missing["errors"]!.AsObject().ContainsKey("title"));
        await (await cast.Member.Client.PostAsJsonAsync("/api/tickets/", new { project = cast.ProjectId })).AssertFieldErrorAsync("title");
        await (await cast.Member.Client.PostAsJsonAsync("/api/tickets/", new { project = "x", title = "t" })).AssertFieldErrorAsync("project");
        await (await cast.Member.Client.PostAsJsonAsync("/api/tickets/", new { project = cast.ProjectId, title = "t", assignee_id = cast.Outsider.Id }))
            .AssertFieldErrorAsync("assignee_id");
        await (await cast.Member.Client.PostRawAsync("/api/tickets/", "[1]")).ProblemAsync(400);
        await (await cast.Member.Client.PostRawAsync("/api/tickets/", "{nope")).ProblemAsync(400);
        await (await cast.Member.Client.PostAsJsonAsync("/api/tickets/", new { project = 999_999, title = "t" })).ProblemAsync(404);
    }

    [Theory]
    [InlineData("owner")]
    [InlineData("admin")]
    [InlineData("member")]
    [InlineData("viewer")]
    [InlineData("outsider")]
    public async Task EveryEndpoint_AnswersByRole(string role)
    {
        var cast = await app.CastAsync();
        var ticket = await cast.Member.CreateTicketAsync(cast.ProjectId, "Target");
        var id = (int)ticket["id"]!;
        var key = (string)ticket["key"]!;
        // Written by another member, so that nobody in the cast is their author.
        var author = await app.CreateUserAsync("author");
        await (await cast.Owner.Client.PostAsJsonAsync($"/api/projects/{cast.ProjectId}/members/", new { user_id = author.Id, role = "member" })).EnsureStatusAsync(201);
        var comment = await (await author.Client.PostAsJsonAsync($"/api/tickets/{id}/comments/", new { body = "hi" })).JsonAsync(201);
        var attachment = await (await author.Client.PostAsync($"/api/tickets/{id}/attachments/", TicketKit.Multipart("x"u8.ToArray(), "a.txt"))).JsonAsync(201);
        var user = cast.As(role);
        var client = user.Client;
        var outsider = role == "outsider";
        var writer = role is "owner" or "admin" or "member";
        var admin = role is "owner" or "admin";
        int Read(int ok) => outsider ? 404 : ok;
        int Write(int ok) => outsider ? 404 : writer ? ok : 403;

        async Task Expect(int status, Task<HttpResponseMessage> call)
        {
            var response = await call;
            if (status >= 400)
            {
                await response.ProblemAsync(status);
            }
            else
            {
                await response.EnsureStatusAsync(status);
            }
        }

        var list = await user.ListAsync($"project={cast.ProjectId}");
        Assert.Equal(outsider ? 0 : 1, list.Count);
        await Expect(Read(200), client.GetAsync($"/api/tickets/{id}/"));
        await Expect(Read(200), client.GetAsync($"/api/tickets/by-key/{key.ToLowerInvariant()}/"));
        await Expect(Read(200), client.GetAsync($"/api/tickets/{id}/history/"));
        await Expect(Read(200), client.GetAsync($"/api/tickets/{id}/comments/"));
        await Expect(Read(200), client.GetAsync($"/api/tickets/{id}/attachments/"));
        await Expect(Read(200), client.GetAsync($"/api/tickets/{id}/watchers/"));
        await Expect(Read(204), client.PostAsync($"/api/tickets/{id}/watch/", null));
        await Expect(Read(204), client.PostAsync($"/api/tickets/{id}/unwatch/", null));
        await Expect(Read(200), client.GetAsync(AttachmentsPath(attachment)));
        await Expect(Write(201), client.PostAsJsonAsync("/api/tickets/", new { project = cast.ProjectId, title = "mine" }));
        await Expect(Write(200), client.PatchAsJsonAsync($"/api/tickets/{id}/", new { title = "Changed by " + role }));
        await Expect(Write(201), client.PostAsJsonAsync($"/api/tickets/{id}/comments/", new { body = "from " + role }));
        await Expect(Write(201), client.PostAsync($"/api/tickets/{id}/attachments/", TicketKit.Multipart("y"u8.ToArray(), "b.txt")));
        // Someone else's comment and attachment: only admins may delete them; nobody but the author edits.
        await Expect(outsider ? 404 : 403, client.PatchAsJsonAsync($"/api/tickets/{id}/comments/{comment["id"]}/", new { body = "edited" }));
        await Expect(outsider ? 404 : admin ? 204 : 403, client.DeleteAsync($"/api/tickets/{id}/comments/{comment["id"]}/"));
        await Expect(outsider ? 404 : admin ? 204 : 403, client.DeleteAsync($"/api/tickets/{id}/attachments/{attachment["id"]}/"));
        await Expect(outsider ? 404 : admin ? 204 : 403, client.DeleteAsync($"/api/tickets/{id}/"));
    }

    private static string AttachmentsPath(JsonObject attachment)
    {
        var url = new Uri((string)attachment["url"]!);
        return url.AbsolutePath;
    }

    [Fact]
    public async Task Anonymous_Gets401Everywhere()
    {
        var cast = await app.CastAsync();
        var id = (int)(await cast.Member.CreateTicketAsync(cast.ProjectId))["id"]!;
        var anonymous = app.CreateClient();
        foreach (var path in new[] { "/api/tickets/", $"/api/tickets/{id}/", $"/api/tickets/by-key/{cast.Key}-1/", $"/api/tickets/{id}/history/",
                     $"/api/tickets/{id}/comments/", $"/api/tickets/{id}/attachments/", $"/api/tickets/{id}/watchers/" })
        {
            // Answered by the authentication middleware.
            await (await anonymous.GetAsync(path)).EnsureStatusAsync(401);
        }
        await (await anonymous.PostAsJsonAsync("/api/tickets/", new { project = cast.ProjectId, title = "x" })).EnsureStatusAsync(401);
        await (await anonymous.PatchAsJsonAsync($"/api/tickets/{id}/", new { title = "x" })).EnsureStatusAsync(401);
        await (await anonymous.DeleteAsync($"/api/tickets/{id}/")).EnsureStatusAsync(401);
        await (await anonymous.PostAsync($"/api/tickets/{id}/watch/", null)).EnsureStatusAsync(401);
        await (await anonymous.PostAsync($"/api/tickets/{id}/attachments/", TicketKit.Multipart("x"u8.ToArray()))).EnsureStatusAsync(401);
    }

    [Fact]
    public async Task UnknownTickets_Return404()
    {
        var user = await app.CreateUserAsync("lost");
        await (await user.Client.GetAsync("/api/tickets/2147483647/")).ProblemAsync(404);
        await (await user.Client.GetAsync("/api/tickets/99999999999/")).ProblemAsync(404);
        await (await user.Client.GetAsync("/api/tickets/by-key/NOPE-1/")).ProblemAsync(404);
        await (await user.Client.GetAsync("/api/tickets/by-key/NOPE-99999999999/")).ProblemAsync(404);
        await (await user.Client.GetAsync("/api/tickets/by-key/garbage/")).ProblemAsync(404);
    }

    [Fact]
    public async Task ConcurrentCreation_Of50Tickets_NumbersThemExactly1To50()
    {
        var cast = await app.CastAsync();
        var users = new[] { cast.Owner, cast.Admin, cast.Member };
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            users[i % 3].Client.PostAsJsonAsync("/api/tickets/", new { project = cast.ProjectId, title = $"Race {i}" })));
        var numbers = new List<int>();
        foreach (var response in responses)
        {
            numbers.Add((int)(await response.JsonAsync(201))["number"]!);
        }
        Assert.Equal(Enumerable.Range(1, 50), numbers.Order());
        var page = await (await cast.Owner.Client.GetAsync($"/api/tickets/?project={cast.ProjectId}&ordering=number&page_size=200")).JsonAsync(200);
        Assert.Equal(50, (int)page["count"]!);
        Assert.Equal(Enumerable.Range(1, 50), page["results"]!.AsArray().Select(t => (int)t!["number"]!));
    }

    [Fact]
    public async Task Status_ResolvingSetsResolvedAt_ReopeningClearsIt()
    {
        var cast = await app.CastAsync();
        var id = (int)(await cast.Member.CreateTicketAsync(cast.ProjectId))["id"]!;
        var resolved = await cast.Member.PatchTicketAsync(id, new JsonObject { ["status"] = "resolved" });
        var resolvedAt = (string?)resolved["resolved_at"];
        Assert.NotNull(resolvedAt);
        var closed = await cast.Member.PatchTicketAsync(id, new JsonObject { ["status"] = "closed" });
        Assert.Equal(resolvedAt, (string?)closed["resolved_at"]);
        var reopened = await cast.Member.PatchTicketAsync(id, new JsonObject { ["status"] = "in_progress" });
        Assert.Null(reopened["resolved_at"]);
        var closedDirectly = await cast.Member.PatchTicketAsync(id, new JsonObject { ["status"] = "closed" });
        Assert.NotNull(closedDirectly["resolved_at"]);
        Assert.Null((await cast.Member.PatchTicketAsync(id, new JsonObject { ["status"] = "open" }))["resolved_at"]);
    }

    [Fact]
    public async Task Patch_AssigneeNullUnassigns_AbsentLeavesAlone()
    {
        var cast = await app.CastAsync();
        var id = (int)(await cast.Member.CreateTicketAsync(cast.ProjectId, "x", new JsonObject { ["assignee_id"] = cast.Viewer.Id, ["due_date"] = "2030-01-01" }))["id"]!;
        var untouched = await cast.Member.PatchTicketAsync(id, new JsonObject { ["title"] = "y" });
        Assert.Equal(cast.Viewer.Id, (int)untouched["assignee"]!["id"]!);
        Assert.Equal("2030-01-01", (string)untouched["due_date"]!);
        var cleared = await cast.Member.PatchTicketAsync(id, new JsonObject { ["assignee_id"] = null, ["due_date"] = null });
        Assert.Null(cleared["assignee"]);
        Assert.Null(cleared["due_date"]);
    }

    [Fact]
    public async Task History_TellsTheWholeStory_OneEntryPerChangedField()
    {
        var cast = await app.CastAsync();
        var ticket = await cast.Member.CreateTicketAsync(cast.ProjectId, "Start", new JsonObject { ["labels"] = new JsonArray("b", "a") });
        var id = (int)ticket["id"]!;
        await cast.Member.PatchTicketAsync(id, new JsonObject
        {
            ["title"] = "Renamed",
            ["description"] = "Now with words",
            ["status"] = "in_progress",
            ["priority"] = "high",
            ["type"] = "bug",
            ["assignee_id"] = cast.Admin.Id,
            ["labels"] = new JsonArray("C", "a"),
            ["due_date"] = "2031-05-06",
        });
        // Setting a field to its current value changes nothing and logs nothing.
        await cast.Member.PatchTicketAsync(id, new JsonObject { ["title"] = "Renamed", ["priority"] = "high", ["labels"] = new JsonArray("a", "C") });
        await cast.Admin.PatchTicketAsync(id, new JsonObject { ["assignee_id"] = null, ["due_date"] = null, ["description"] = "" });
        var comment = await (await cast.Member.Client.PostAsJsonAsync($"/api/tickets/{id}/comments/", new { body = "First!" })).JsonAsync(201);
        await (await cast.Member.Client.PatchAsJsonAsync($"/api/tickets/{id}/comments/{comment["id"]}/", new { body = "Second!" })).EnsureStatusAsync(200);
        await (await cast.Member.Client.DeleteAsync($"/api/tickets/{id}/comments/{comment["id"]}/")).EnsureStatusAsync(204);
        var attachment = await (await cast.Member.Client.PostAsync($"/api/tickets/{id}/attachments/", TicketKit.Multipart("x"u8.ToArray(), "notes.txt"))).JsonAsync(201);
        await (await cast.Member.Client.DeleteAsync($"/api/tickets/{id}/attachments/{attachment["id"]}/")).EnsureStatusAsync(204);

        var page = await (await cast.Viewer.Client.GetAsync($"/api/tickets/{id}/history/?page_size=200")).JsonAsync(200);
        var entries = page["results"]!.AsArray().Select(e => (
            Field: (string)e!["field"]!, Old: (string?)e["old_value"], New: (string?)e["new_value"], Actor: (int)e["actor"]!["id"]!)).ToList();
        var m = cast.Member.Id;
        var a = cast.Admin.Id;
        Assert.Equal(
            [
                ("created", null, $"{cast.Key}-1", m),
                ("title", "Start", "Renamed", m),
                ("description", null, "Now with words", m),
                ("status", "open", "in_progress", m),
                ("priority", "medium", "high", m),
                ("type", "task", "bug", m),
                ("assignee", null, cast.Admin.Username, m),
                ("labels", "a, b", "a, C", m),
                ("due_date", null, "2031-05-06", m),
                ("description", "Now with words", null, a),
                ("assignee", cast.Admin.Username, null, a),
                ("due_date", "2031-05-06", null, a),
                ("comment", null, "First!", m),
                ("comment", "First!", "Second!", m),
                ("comment", "Second!", null, m),
                ("attachment", null, "notes.txt", m),
                ("attachment", "notes.txt", null, m),
            ],
            entries.Select(e => (e.Field, e.Old, e.New, e.Actor)).ToList<(string, string?, string?, int)>());
        Assert.Equal(["id", "actor", "field", "old_value", "new_value", "created_at"], page["results"]![0]!.AsObject().Select(p => p.Key).ToArray());
    }

    [Fact]
    public async Task History_IsPaginatedOldestFirst()
    {
        var cast = await app.CastAsync();
        var id = (int)(await cast.Member.CreateTicketAsync(cast.ProjectId, "t0"))["id"]!;
        for (var i = 1; i <= 4; i++)
        {
            await cast.Member.PatchTicketAsync(id, new JsonObject { ["title"] = $"t{i}" });
        }
        var first = await (await cast.Member.Client.GetAsync($"/api/tickets/{id}/history/?page_size=2")).JsonAsync(200);
        Assert.Equal(5, (int)first["count"]!);
        Assert.Equal("created", (string)first["results"]![0]!["field"]!);
        Assert.Equal("t1", (string)first["results"]![1]!["new_value"]!);
        var last = await (await cast.Member.Client.GetAsync((string)first["next"]!)).JsonAsync(200);
        Assert.Equal("t3", (string)last["results"]![1]!["new_value"]!);
        await (await cast.Member.Client.GetAsync($"/api/tickets/{id}/history/?page=9")).ProblemAsync(404);
    }

    [Fact]
    public async Task RemovingAMember_UnassignsTheirOpenTickets_WithHistory()
    {
        var cast = await app.CastAsync();
        var open = (int)(await cast.Owner.CreateTicketAsync(cast.ProjectId, "open", new JsonObject { ["assignee_id"] = cast.Member.Id }))["id"]!;
        var doing = (int)(await cast.Owner.CreateTicketAsync(cast.ProjectId, "doing", new JsonObject { ["assignee_id"] = cast.Member.Id, ["status"] = "in_progress" }))["id"]!;
        var done = (int)(await cast.Owner.CreateTicketAsync(cast.ProjectId, "done", new JsonObject { ["assignee_id"] = cast.Member.Id, ["status"] = "resolved" }))["id"]!;
        var other = (int)(await cast.Owner.CreateTicketAsync(cast.ProjectId, "other", new JsonObject { ["assignee_id"] = cast.Admin.Id }))["id"]!;

        await (await cast.Admin.Client.DeleteAsync($"/api/projects/{cast.ProjectId}/members/{cast.Member.Id}/")).EnsureStatusAsync(204);

        foreach (var id in new[] { open, doing })
        {
            var ticket = await (await cast.Owner.Client.GetAsync($"/api/tickets/{id}/")).JsonAsync(200);
            Assert.Null(ticket["assignee"]);
            var history = await (await cast.Owner.Client.GetAsync($"/api/tickets/{id}/history/")).JsonAsync(200);
            var last = history["results"]!.AsArray().Last()!;
            Assert.Equal("assignee", (string)last["field"]!);
            Assert.Equal(cast.Member.Username, (string)last["old_value"]!);
            Assert.Null(last["new_value"]);
            Assert.Equal(cast.Admin.Id, (int)last["actor"]!["id"]!);
            var watchers = await (await cast.Owner.Client.GetAsync($"/api/tickets/{id}/watchers/")).JsonAsync(200);
            Assert.DoesNotContain(watchers["results"]!.AsArray(), w => (int)w!["id"]! == cast.Member.Id);
        }
        Assert.Equal(cast.Member.Id, (int)(await (await cast.Owner.Client.GetAsync($"/api/tickets/{done}/")).JsonAsync(200))["assignee"]!["id"]!);
        Assert.Equal(cast.Admin.Id, (int)(await (await cast.Owner.Client.GetAsync($"/api/tickets/{other}/")).JsonAsync(200))["assignee"]!["id"]!);
        await (await cast.Member.Client.GetAsync($"/api/tickets/{open}/")).ProblemAsync(404);
    }

    [Fact]
    public async Task Watchers_ReporterAndAssigneeWatchAutomatically_WatchIsIdempotent()
    {
        var cast = await app.CastAsync();
        var id = (int)(await cast.Member.CreateTicketAsync(cast.ProjectId, "w", new JsonObject { ["assignee_id"] = cast.Admin.Id }))["id"]!;
        async Task<List<int>> WatcherIds() =>
            (await (await cast.Viewer.Client.GetAsync($"/api/tickets/{id}/watchers/")).JsonAsync(200))["results"]!.AsArray()
            .Select(u => (int)u!["id"]!).ToList();
        Assert.Equal(new[] { cast.Member.Id, cast.Admin.Id }.Order(), (await WatcherIds()).Order());

        await (await cast.Viewer.Client.PostAsync($"/api/tickets/{id}/watch/", null)).EnsureStatusAsync(204);
        await (await cast.Viewer.Client.PostAsync($"/api/tickets/{id}/watch/", null)).EnsureStatusAsync(204);
        Assert.Equal(new[] { cast.Member.Id, cast.Admin.Id }.Order().Append(cast.Viewer.Id), await WatcherIds());
        await (await cast.Viewer.Client.PostAsync($"/api/tickets/{id}/unwatch/", null)).EnsureStatusAsync(204);
        await (await cast.Viewer.Client.PostAsync($"/api/tickets/{id}/unwatch/", null)).EnsureStatusAsync(204);
        Assert.Equal(new[] { cast.Member.Id, cast.Admin.Id }.Order(), await WatcherIds());

        var reassigned = await cast.Member.PatchTicketAsync(id, new JsonObject { ["assignee_id"] = cast.Owner.Id });
        Assert.Equal(cast.Owner.Id, (int)reassigned["assignee"]!["id"]!);
        Assert.Contains(cast.Owner.Id, await WatcherIds());
        var history = await (await cast.Member.Client.GetAsync($"/api/tickets/{id}/history/")).JsonAsync(200);
        var last = history["results"]!.AsArray().Last()!;
        Assert.Equal((cast.Admin.Username, cast.Owner.Username), ((string)last["old_value"]!, (string)last["new_value"]!));
    }

    [Fact]
    public async Task Comments_EditAndDeleteRules_AndCommentCount()
    {
        var cast = await app.CastAsync();
        var id = (int)(await cast.Member.CreateTicketAsync(cast.ProjectId))["id"]!;
        var comment = await (await cast.Member.Client.PostAsJsonAsync($"/api/tickets/{id}/comments/", new { body = "  Hello  ", author = cast.Owner.Id, is_edited = true })).JsonAsync(201);
        Assert.Equal(["id", "ticket", "author", "body", "created_at", "updated_at", "is_edited"], comment.Select(p => p.Key).ToArray());
        Assert.Equal("Hello", (string)comment["body"]!);
        Assert.Equal(cast.Member.Id, (int)comment["author"]!["id"]!);
        Assert.False((bool)comment["is_edited"]!);
        Assert.Equal(id, (int)comment["ticket"]!);
        var second = await (await cast.Admin.Client.PostAsJsonAsync($"/api/tickets/{id}/comments/", new { body = "Second" })).JsonAsync(201);
        Assert.Equal(2, (int)(await (await cast.Member.Client.GetAsync($"/api/tickets/{id}/")).JsonAsync(200))["comment_count"]!);

        var path = $"/api/tickets/{id}/comments/{comment["id"]}/";
        await (await cast.Admin.Client.PatchAsJsonAsync(path, new { body = "admin edit" })).ProblemAsync(403);
        await (await cast.Member.Client.PatchAsJsonAsync(path, new { body = "" })).AssertFieldErrorAsync("body");
        await (await cast.Member.Client.PatchAsJsonAsync(path, new { body = new string('x', 10_001) })).AssertFieldErrorAsync("body");
        await (await cast.Member.Client.PostAsJsonAsync($"/api/tickets/{id}/comments/", new { body = "   " })).AssertFieldErrorAsync("body");
        await (await cast.Member.Client.PostRawAsync($"/api/tickets/{id}/comments/", """{"body": 5}""")).AssertFieldErrorAsync("body");
        var edited = await (await cast.Member.Client.PatchAsJsonAsync(path, new { body = "Hello again" })).JsonAsync(200);
        Assert.True((bool)edited["is_edited"]!);
        Assert.Equal("Hello again", (string)edited["body"]!);

        await (await cast.Member.Client.DeleteAsync($"/api/tickets/{id}/comments/{second["id"]}/")).ProblemAsync(403);
        await (await cast.Member.Client.DeleteAsync(path)).EnsureStatusAsync(204);
        await (await cast.Member.Client.DeleteAsync(path)).ProblemAsync(404);
        await (await cast.Owner.Client.DeleteAsync($"/api/tickets/{id}/comments/{second["id"]}/")).EnsureStatusAsync(204);
        Assert.Equal(0, (int)(await (await cast.Member.Client.GetAsync($"/api/tickets/{id}/")).JsonAsync(200))["comment_count"]!);

        var other = (int)(await cast.Member.CreateTicketAsync(cast.ProjectId))["id"]!;
        var third = await (await cast.Member.Client.PostAsJsonAsync($"/api/tickets/{id}/comments/", new { body = "Third" })).JsonAsync(201);
        await (await cast.Member.Client.DeleteAsync($"/api/tickets/{other}/comments/{third["id"]}/")).ProblemAsync(404);
        var list = await (await cast.Viewer.Client.GetAsync($"/api/tickets/{id}/comments/")).JsonAsync(200);
        Assert.Equal(1, (int)list["count"]!);
    }

    [Fact]
    public async Task Delete_RemovesTheTicketAndEverythingOnIt()
    {
        var cast = await app.CastAsync();
        var id = (int)(await cast.Member.CreateTicketAsync(cast.ProjectId))["id"]!;
        await (await cast.Member.Client.PostAsJsonAsync($"/api/tickets/{id}/comments/", new { body = "x" })).EnsureStatusAsync(201);
        var attachment = await (await cast.Member.Client.PostAsync($"/api/tickets/{id}/attachments/", TicketKit.Multipart("x"u8.ToArray()))).JsonAsync(201);
        await (await cast.Admin.Client.DeleteAsync($"/api/tickets/{id}/")).EnsureStatusAsync(204);
        await (await cast.Admin.Client.GetAsync($"/api/tickets/{id}/")).ProblemAsync(404);
        await (await cast.Admin.Client.GetAsync($"/api/tickets/{id}/history/")).ProblemAsync(404);
        await (await app.CreateClient().GetAsync((string)attachment["url"]!)).ProblemAsync(404);
        // Numbers are never reused.
        Assert.Equal(2, (int)(await cast.Member.CreateTicketAsync(cast.ProjectId))["number"]!);
    }
}
