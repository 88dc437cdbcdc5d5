using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchboard.Tests.Features.Chat;
using Switchboard.Tests.Features.Tickets;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Realtime;

namespace Switchboard.Tests.Features.TicketsInChat;

public sealed class TicketsInChatTestsOnSqlite(SqliteTicketsInChatApp app) : TicketsInChatTests(app), IClassFixture<SqliteTicketsInChatApp>;

public sealed class TicketsInChatTestsOnPostgres(PostgresTicketsInChatApp app) : TicketsInChatTests(app), IClassFixture<PostgresTicketsInChatApp>;

/// <summary>Ticket references, tickets made from messages, ticket discussions and ticket feeds.</summary>
public abstract class TicketsInChatTests(TicketsInChatApp app)
{
    // ---- references and chips ----

    [Fact]
    public async Task Chips_ShowTheTicketsAsTheyAreNow_OnlyToReadersWhoMaySeeThem()
    {
        var c = await app.SceneAsync();
        var key = await c.Owner.ProjectKeyAsync(c.ProjectId);
        var mine = await c.Participant.TicketAsync(c.ProjectId, "Printer on fire");
        // A second project that Pat belongs to and the admin does not.
        var other = await app.CreateProjectAsync(c.Participant);
        var otherKey = await c.Participant.ProjectKeyAsync(other);
        var secret = await c.Participant.TicketAsync(other, "Secret roadmap");
        var (socket, _) = await UserSocketExtensions.OpenAsync(app, c.Admin.Access);
        using var _s = socket;

        var content = $"{key}-{mine["number"]} and {otherKey}-{secret["number"]}, not `{key}-{mine["number"]}`, not {key.ToLowerInvariant()}-1, not {key}-9999";
        var sent = await c.Participant.SendAsync(c.RoomId, content);
        var id = (int)sent["id"]!;

        // The sender's answer and the room's frame show only what every participant may see.
        Assert.Equal([$"{key}-{mine["number"]}"], sent.Keys());
        var frame = await socket.ReceiveMessageInAsync(c.RoomId, content);
        Assert.Equal([$"{key}-{mine["number"]}"], frame["message"]!.AsObject().Keys());

        // Reading it: Pat sees both, the admin only the ticket of the room's project.
        Assert.Equal([$"{key}-{mine["number"]}", $"{otherKey}-{secret["number"]}"], (await c.Participant.MessageAsync(id)).Keys());
        var asAdmin = await c.Admin.MessageAsync(id);
        Assert.Equal([$"{key}-{mine["number"]}"], asAdmin.Keys());
        Assert.DoesNotContain("Secret roadmap", asAdmin.ToJsonString());

        // As they are now: a change to the ticket shows on the next read, and the chip has what it needs.
        await (await c.Admin.Client.PatchAsJsonAsync($"/api/tickets/{mine["id"]}/", new { status = "resolved", assignee_id = c.Admin.Id }))
            .EnsureStatusAsync(200);
        var page = await c.Admin.TimelineAsync(c.RoomId);
        var chip = page.Single(m => (int)m["id"]! == id)["tickets"]![0]!;
        Assert.Equal((int)mine["id"]!, (int)chip["id"]!);
        Assert.Equal("Printer on fire", (string?)chip["title"]);
        Assert.Equal("resolved", (string?)chip["status"]);
        Assert.Equal("medium", (string?)chip["priority"]);
        Assert.Equal(c.Admin.Id, (int)chip["assignee"]!["id"]!);

        // Ordinary messages carry an empty list.
        Assert.Empty((await c.Participant.SendAsync(c.RoomId, "no keys here"))["tickets"]!.AsArray());
    }

    [Fact]
    public async Task Mentions_ListOnlyMessagesTheCallerMayRead_AndCountsRevealNothing()
    {
        var c = await app.SceneAsync();
        var key = await c.Owner.ProjectKeyAsync(c.ProjectId);
        var ticket = await c.Participant.TicketAsync(c.ProjectId, "Referenced");
        var k = $"{key}-{ticket["number"]}";
        // A room the admin is not in.
        var hidden = await ChatKit.CreateRoomAsync(c.Participant, c.ProjectId, "Private", c.Creator.Id);
        var first = await c.Participant.SendIdAsync(c.RoomId, $"look at {k}");
        var second = await c.Participant.SendIdAsync(c.RoomId, $"{k} again");
        await c.Participant.SendIdAsync(hidden, $"secretly about {k}");

        var asParticipant = await (await c.Participant.Client.GetAsync($"/api/tickets/{ticket["id"]}/mentions/")).JsonAsync(200);
        Assert.Equal(3, (int)asParticipant["count"]!);
        var asAdmin = await (await c.Admin.Client.GetAsync($"/api/tickets/{ticket["id"]}/mentions/?page_size=1")).JsonAsync(200);
        Assert.Equal(2, (int)asAdmin["count"]!);
        Assert.Equal(second, (int)asAdmin["results"]![0]!["id"]!);
        Assert.NotNull(asAdmin["next"]);
        var page2 = await (await c.Admin.Client.GetAsync($"/api/tickets/{ticket["id"]}/mentions/?page_size=1&page=2")).JsonAsync(200);
        Assert.Equal(first, (int)page2["results"]![0]!["id"]!);
        // A project member in no room sees the ticket but no message.
        var asMember = await (await c.Member.Client.GetAsync($"/api/tickets/{ticket["id"]}/mentions/")).JsonAsync(200);
        Assert.Equal(0, (int)asMember["count"]!);
        // Someone outside the project cannot tell the ticket exists.
        await (await c.Outsider.Client.GetAsync($"/api/tickets/{ticket["id"]}/mentions/")).ProblemAsync(404);
        await (await c.Outsider.Client.GetAsync("/api/tickets/999999/mentions/")).ProblemAsync(404);
    }

    [Fact]
    public async Task ReferenceIndex_FollowsEditsAndDeletes()
    {
        var c = await app.SceneAsync();
        var key = await c.Owner.ProjectKeyAsync(c.ProjectId);
        var ticket = await c.Participant.TicketAsync(c.ProjectId, "Indexed");
        var k = $"{key}-{ticket["number"]}";
        async Task<int> CountAsync() =>
            (int)(await (await c.Participant.Client.GetAsync($"/api/tickets/{ticket["id"]}/mentions/")).JsonAsync(200))["count"]!;

        var id = await c.Participant.SendIdAsync(c.RoomId, "nothing yet");
        Assert.Equal(0, await CountAsync());
        var edited = await (await c.Participant.Client.PatchAsJsonAsync($"/api/chat/messages/{id}/", new { content = $"now {k}" })).JsonAsync(200);
        Assert.Equal([k], edited.Keys());
        Assert.Equal(1, await CountAsync());
        await (await c.Participant.Client.PatchAsJsonAsync($"/api/chat/messages/{id}/", new { content = $"not `{k}`" })).EnsureStatusAsync(200);
        Assert.Equal(0, await CountAsync());
        await (await c.Participant.Client.PatchAsJsonAsync($"/api/chat/messages/{id}/", new { content = $"{k} back" })).EnsureStatusAsync(200);
        Assert.Equal(1, await CountAsync());
        await (await c.Participant.Client.DeleteAsync($"/api/chat/messages/{id}/")).EnsureStatusAsync(204);
        Assert.Equal(0, await CountAsync());

        // A root with replies is kept as a placeholder: its references go all the same.
        var root = await c.Participant.SendIdAsync(c.RoomId, $"root about {k}");
        await c.Admin.ReplyAsync(c.RoomId, root, "a reply");
        Assert.Equal(1, await CountAsync());
        await (await c.Participant.Client.DeleteAsync($"/api/chat/messages/{root}/")).EnsureStatusAsync(204);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task HistoryPage_UsesAFixedNumberOfQueries_WhateverItReferences()
    {
        var c = await app.SceneAsync();
        var key = await c.Owner.ProjectKeyAsync(c.ProjectId);
        var numbers = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            numbers.Add((int)(await c.Participant.TicketAsync(c.ProjectId, $"T{i}", new { assignee_id = c.Admin.Id }))["number"]!);
        }
        for (var i = 0; i < 8; i++)
        {
            await c.Participant.SendIdAsync(c.RoomId, $"{key}-{numbers[i % 6]} {key}-{numbers[(i + 1) % 6]} {key}-{numbers[(i + 2) % 6]}");
        }
        Task<int> CommandsFor(int pageSize) => app.Commands.FewestForAsync(async () =>
        {
            var page = await (await c.Admin.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}&page_size={pageSize}")).JsonAsync(200);
            Assert.All(page["results"]!.AsArray(), m => Assert.Equal(3, m!["tickets"]!.AsArray().Count));
        });
        await CommandsFor(1);
        Assert.Equal(await CommandsFor(1), await CommandsFor(8));
    }

    // ---- a ticket made from a message ----

    [Fact]
    public async Task CreateTicket_FromAThreadWithAttachments_QuotesCopiesAndLinks_AndOutlivesTheMessage()
    {
        var c = await app.SceneAsync();
        var bytes = "the printer log, line 1\n"u8.ToArray();
        var root = (int)(await (await c.Participant.UploadAsync(c.RoomId, "file", bytes, "printer.log", "Printer on fire\nsince 9am")).JsonAsync(201))["id"]!;
        var reply = (int)(await c.Admin.ReplyAsync(c.RoomId, root, "Smoke on floor 2 too"))["id"]!;
        var (socket, _) = await UserSocketExtensions.OpenAsync(app, c.Participant.Access);
        using var _s = socket;

        var ticket = await (await c.Creator.Client.PostAsJsonAsync($"/api/chat/messages/{reply}/create_ticket/",
            new { include_thread = true, priority = "urgent", assignee_id = c.Admin.Id })).JsonAsync(201);
        var id = (int)ticket["id"]!;
        Assert.Equal("Smoke on floor 2 too", (string?)ticket["title"]);
        Assert.Equal("urgent", (string?)ticket["priority"]);
        Assert.Equal(c.Creator.Id, (int)ticket["reporter"]!["id"]!);
        Assert.Equal(c.ProjectId, (int)ticket["project"]!);
        Assert.Equal(reply, (int)ticket["source_message"]!["id"]!);
        Assert.Equal(c.RoomId, (int)ticket["source_message"]!["room"]!);
        var description = (string)ticket["description"]!;
        Assert.Contains("> Printer on fire", description);
        Assert.Contains("> since 9am", description);
        Assert.Contains("> Smoke on floor 2 too", description);
        Assert.Contains($"@{c.Participant.Username}", description);
        Assert.Contains($"@{c.Admin.Username}", description);
        Assert.Contains("UTC", description);
        Assert.True(description.IndexOf("Printer", StringComparison.Ordinal) < description.IndexOf("Smoke", StringComparison.Ordinal));

        // The system message in the thread names the ticket, reaches the room, and carries its chip.
        var thread = await c.Participant.ThreadAsync(root);
        var system = thread.Single(m => (string?)m["type"] == "system");
        Assert.Equal("ticket_created", (string?)system["event"]!["kind"]);
        Assert.Equal(id, (int)system["event"]!["ticket_id"]!);
        Assert.Equal(reply, (int)system["event"]!["message_id"]!);
        Assert.Equal((string)ticket["key"]!, (string?)system["tickets"]![0]!["key"]);
        await socket.ReceiveWhereAsync("message_new", f => (string?)f["message"]?["type"] == "system" && (int?)f["message"]?["thread_root_id"] == root);

        // Only the root's file: the reply has none. Then the message goes, and the ticket's copy stays.
        var attachments = (await (await c.Creator.Client.GetAsync($"/api/tickets/{id}/attachments/")).JsonAsync(200))["results"]!.AsArray();
        var attachment = Assert.Single(attachments)!;
        Assert.Equal("printer.log", (string?)attachment["file_name"]);
        await (await c.Participant.Client.DeleteAsync($"/api/chat/messages/{root}/")).EnsureStatusAsync(204);
        await (await c.Admin.Client.DeleteAsync($"/api/chat/messages/{reply}/")).EnsureStatusAsync(204);
        var download = await c.Creator.Client.GetAsync((string)attachment["url"]!);
        await download.EnsureStatusAsync(200);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        var after = await (await c.Creator.Client.GetAsync($"/api/tickets/{id}/")).JsonAsync(200);
        Assert.Equal(description, (string?)after["description"]);
        Assert.Equal(reply, (int)after["source_message"]!["id"]!);
    }

    [Fact]
    public async Task CreateTicket_WithoutTheThread_QuotesOneMessage_AndChecksWhoAndWhat()
    {
        var c = await app.SceneAsync();
        var root = await c.Participant.SendIdAsync(c.RoomId, "## Login is slow");
        await c.Admin.ReplyAsync(c.RoomId, root, "reply not quoted");

        var ticket = await (await c.Participant.Client.PostAsJsonAsync($"/api/chat/messages/{root}/create_ticket/", new { })).JsonAsync(201);
        Assert.Equal("Login is slow", (string?)ticket["title"]);
        Assert.DoesNotContain("reply not quoted", (string)ticket["description"]!);
        Assert.Null(ticket["discussion"]);
        var titled = await (await c.Participant.Client.PostAsJsonAsync($"/api/chat/messages/{root}/create_ticket/",
            new { title = "Own title", type = "bug" })).JsonAsync(201);
        Assert.Equal("Own title", (string?)titled["title"]);
        Assert.Equal("bug", (string?)titled["type"]);
        // The system messages go into the root's thread (it is a thread now).
        Assert.Equal(2, (await c.Participant.ThreadAsync(root)).Count(m => (string?)m["type"] == "system"));

        await (await c.Viewer.Client.PostAsJsonAsync($"/api/chat/messages/{root}/create_ticket/", new { })).ProblemAsync(403);
        await (await c.Member.Client.PostAsJsonAsync($"/api/chat/messages/{root}/create_ticket/", new { })).ProblemAsync(404);
        await (await c.Outsider.Client.PostAsJsonAsync($"/api/chat/messages/{root}/create_ticket/", new { })).ProblemAsync(404);
        await (await c.Participant.Client.PostAsJsonAsync($"/api/chat/messages/{root}/create_ticket/", new { priority = "asap" }))
            .AssertFieldErrorAsync("priority");
        await (await c.Participant.Client.PostAsJsonAsync($"/api/chat/messages/{root}/create_ticket/", new { include_thread = "yes" }))
            .AssertFieldErrorAsync("include_thread");
        await (await c.Participant.Client.PostAsJsonAsync($"/api/chat/messages/{root}/create_ticket/", new { assignee_id = c.Outsider.Id }))
            .AssertFieldErrorAsync("assignee_id");
        await (await c.Participant.Client.PostAsJsonAsync($"/api/chat/messages/{root}/create_ticket/", new { title = "" }))
            .AssertFieldErrorAsync("title");
        await (await c.Participant.Client.PostRawAsync($"/api/chat/messages/{root}/create_ticket/", "[1]")).ProblemAsync(400);
    }

    // ---- a ticket's discussion ----

    private async Task<(ChatCast C, JsonObject Ticket, int Root)> DiscussionAsync()
    {
        var c = await app.SceneAsync();
        var ticket = await c.Participant.TicketAsync(c.ProjectId, "Discussed");
        var linked = await (await c.Participant.Client.PostAsJsonAsync($"/api/tickets/{ticket["id"]}/discussion/", new { room = c.RoomId })).JsonAsync(201);
        var root = (int)linked["discussion"]!["root_id"]!;
        Assert.Equal(c.RoomId, (int)linked["discussion"]!["room"]!);
        return (c, linked, root);
    }

    [Fact]
    public async Task Discussion_IsAThreadRootedAtASystemMessage_AndIsCheckedLikeEveryInput()
    {
        var (c, ticket, root) = await DiscussionAsync();
        var id = (int)ticket["id"]!;
        var rootMessage = await c.Admin.MessageAsync(root);
        Assert.Equal("system", (string?)rootMessage["type"]);
        Assert.Equal("ticket_discussion", (string?)rootMessage["event"]!["kind"]);
        Assert.Equal(id, (int)rootMessage["event"]!["ticket_id"]!);
        Assert.Contains((string)ticket["key"]!, (string)rootMessage["content"]!);
        Assert.Equal(root, (int)(await (await c.Member.Client.GetAsync($"/api/tickets/{id}/")).JsonAsync(200))["discussion"]!["root_id"]!);

        await (await c.Participant.Client.PostAsJsonAsync($"/api/tickets/{id}/discussion/", new { room = c.RoomId })).ProblemAsync(409);
        var fresh = await c.Participant.TicketAsync(c.ProjectId, "Another");
        var otherProject = await app.CreateProjectAsync(c.Participant);
        var elsewhere = await ChatKit.CreateRoomAsync(c.Participant, otherProject, "Elsewhere");
        await (await c.Participant.Client.PostAsJsonAsync($"/api/tickets/{fresh["id"]}/discussion/", new { room = elsewhere })).AssertFieldErrorAsync("room");
        await (await c.Participant.Client.PostAsJsonAsync($"/api/tickets/{fresh["id"]}/discussion/", new { room = "x" })).AssertFieldErrorAsync("room");
        await (await c.Participant.Client.PostAsJsonAsync($"/api/tickets/{fresh["id"]}/discussion/", new { })).AssertFieldErrorAsync("room");
        // A room the caller is not in is as unknown as one that does not exist.
        var notMine = await ChatKit.CreateRoomAsync(c.Creator, c.ProjectId, "Not Pat's");
        await (await c.Participant.Client.PostAsJsonAsync($"/api/tickets/{fresh["id"]}/discussion/", new { room = notMine })).AssertFieldErrorAsync("room");
        await (await c.Viewer.Client.PostAsJsonAsync($"/api/tickets/{fresh["id"]}/discussion/", new { room = c.RoomId })).ProblemAsync(403);
        await (await c.Outsider.Client.PostAsJsonAsync($"/api/tickets/{fresh["id"]}/discussion/", new { room = c.RoomId })).ProblemAsync(404);
    }

    [Fact]
    public async Task Discussion_RepliesAndCommentsMirrorEachOther_ExactlyOnce_WithEditsAndDeletes()
    {
        var (c, ticket, root) = await DiscussionAsync();
        var id = (int)ticket["id"]!;
        var (socket, _) = await UserSocketExtensions.OpenAsync(app, c.Participant.Access);
        using var _s = socket;

        // Reply → comment, by the same author.
        var reply = (int)(await c.Participant.ReplyAsync(c.RoomId, root, "From the thread"))["id"]!;
        var comments = await c.Admin.CommentsAsync(id);
        var mirrored = Assert.Single(comments);
        Assert.Equal("From the thread", (string?)mirrored["body"]);
        Assert.Equal(c.Participant.Id, (int)mirrored["author"]!["id"]!);

        // Comment → reply, by the same author, live in the open thread.
        var comment = await (await c.Admin.Client.PostAsJsonAsync($"/api/tickets/{id}/comments/", new { body = "From the ticket" })).JsonAsync(201);
        var live = await socket.ReceiveMessageInAsync(c.RoomId, "From the ticket");
        Assert.Equal(root, (int)live["message"]!["thread_root_id"]!);
        Assert.Equal(c.Admin.Id, (int)live["message"]!["user"]!["id"]!);
        var replies = (await c.Participant.ThreadAsync(root)).Where(m => (int)m["id"]! != root).ToList();
        Assert.Equal(["From the thread", "From the ticket"], replies.Select(m => (string)m["content"]!));
        Assert.Equal(2, (await c.Admin.CommentsAsync(id)).Count);
        Assert.Equal(2, (int)(await (await c.Admin.Client.GetAsync($"/api/tickets/{id}/")).JsonAsync(200))["comment_count"]!);
        var rootNow = await c.Admin.MessageAsync(root);
        Assert.Equal(2, (int)rootNow["reply_count"]!);

        // Edits follow both ways.
        await (await c.Participant.Client.PatchAsJsonAsync($"/api/chat/messages/{reply}/", new { content = "Thread, edited" })).EnsureStatusAsync(200);
        var editedComment = (await c.Admin.CommentsAsync(id)).Single(x => (int)x["id"]! == (int)mirrored["id"]!);
        Assert.Equal("Thread, edited", (string?)editedComment["body"]);
        Assert.True((bool)editedComment["is_edited"]!);
        await (await c.Admin.Client.PatchAsJsonAsync($"/api/tickets/{id}/comments/{comment["id"]}/", new { body = "Ticket, edited" })).EnsureStatusAsync(200);
        var mirrorReply = replies.Single(m => (string?)m["content"] == "From the ticket");
        var editedReply = await c.Participant.MessageAsync((int)mirrorReply["id"]!);
        Assert.Equal("Ticket, edited", (string?)editedReply["content"]);
        Assert.True((bool)editedReply["is_edited"]!);

        // Deletes follow both ways.
        await (await c.Participant.Client.DeleteAsync($"/api/chat/messages/{reply}/")).EnsureStatusAsync(204);
        Assert.DoesNotContain(await c.Admin.CommentsAsync(id), x => (int)x["id"]! == (int)mirrored["id"]!);
        await (await c.Admin.Client.DeleteAsync($"/api/tickets/{id}/comments/{comment["id"]}/")).EnsureStatusAsync(204);
        await (await c.Participant.Client.GetAsync($"/api/chat/messages/{mirrorReply["id"]}/")).ProblemAsync(404);
        Assert.Empty(await c.Admin.CommentsAsync(id));
        Assert.Equal(0, (int)(await (await c.Admin.Client.GetAsync($"/api/tickets/{id}/")).JsonAsync(200))["comment_count"]!);
        Assert.Equal(0, (int)(await c.Admin.MessageAsync(root))["reply_count"]!);
    }

    [Fact]
    public async Task Discussion_ConcurrentEditsFromBothSides_EndTheSameOnBothSides()
    {
        var (c, ticket, root) = await DiscussionAsync();
        var id = (int)ticket["id"]!;
        var reply = (int)(await c.Participant.ReplyAsync(c.RoomId, root, "v0"))["id"]!;
        var commentId = (int)(await c.Participant.CommentsAsync(id)).Single()["id"]!;

        var edits = Enumerable.Range(1, 12).Select(i => i % 2 == 0
            ? c.Participant.Client.PatchAsJsonAsync($"/api/chat/messages/{reply}/", new { content = $"from chat {i}" })
            : c.Participant.Client.PatchAsJsonAsync($"/api/tickets/{id}/comments/{commentId}/", new { body = $"from ticket {i}" }));
        foreach (var response in await Task.WhenAll(edits))
        {
            await response.EnsureStatusAsync(200);
        }
        var message = (string)(await c.Participant.MessageAsync(reply))["content"]!;
        var comment = (string)(await c.Participant.CommentsAsync(id)).Single()["body"]!;
        Assert.Equal(message, comment);
        Assert.Single(await c.Participant.CommentsAsync(id));
        Assert.Equal(2, (await c.Participant.ThreadAsync(root)).Count);
    }

    [Fact]
    public async Task Discussion_ACrashBetweenTheTwoRows_LeavesNeither_AndTheRetryMakesExactlyOne()
    {
        var (c, ticket, root) = await DiscussionAsync();
        var id = (int)ticket["id"]!;

        // The server dies writing the link, after both the reply and the comment rows were written.
        app.Faults.FailOn = "ticket_discussion_posts";
        var failed = await c.Participant.Client.PostAsJsonAsync("/api/chat/messages/",
            new { room = c.RoomId, content = "will it double?", type = "text", thread_root_id = root, client_id = "crash-1" });
        Assert.Equal(500, (int)failed.StatusCode);
        Assert.Empty(await c.Participant.CommentsAsync(id));
        Assert.Single(await c.Participant.ThreadAsync(root));

        // The client retries with the same client_id: one reply, one comment.
        await (await c.Participant.Client.PostAsJsonAsync("/api/chat/messages/",
            new { room = c.RoomId, content = "will it double?", type = "text", thread_root_id = root, client_id = "crash-1" })).EnsureStatusAsync(201);
        await (await c.Participant.Client.PostAsJsonAsync("/api/chat/messages/",
            new { room = c.RoomId, content = "will it double?", type = "text", thread_root_id = root, client_id = "crash-1" })).EnsureStatusAsync(200);
        Assert.Single(await c.Participant.CommentsAsync(id));
        Assert.Equal(2, (await c.Participant.ThreadAsync(root)).Count);

        // The other way: a comment whose reply could not be linked is not stored either.
        app.Faults.FailOn = "ticket_discussion_posts";
        var failedComment = await c.Admin.Client.PostAsJsonAsync($"/api/tickets/{id}/comments/", new { body = "comment crash" });
        Assert.Equal(500, (int)failedComment.StatusCode);
        Assert.Single(await c.Participant.CommentsAsync(id));
        Assert.Equal(2, (await c.Participant.ThreadAsync(root)).Count);
    }

    // ---- a room's ticket feed ----

    [Fact]
    public async Task Feed_PostsASystemMessageForEachFollowedEvent_UntilItIsStopped()
    {
        var c = await app.SceneAsync();
        var feedUrl = $"/api/chat/rooms/{c.RoomId}/ticket_feed/";
        var empty = await (await c.Participant.Client.GetAsync(feedUrl)).JsonAsync(200);
        Assert.Null(empty["project"]);
        var feed = await (await c.Participant.Client.PutAsJsonAsync(feedUrl,
            new { project = c.ProjectId, events = new[] { "commented", "created", "status_changed", "assigned" } })).JsonAsync(200);
        Assert.Equal(["created", "status_changed", "assigned", "commented"], feed["events"]!.AsArray().Select(e => (string)e!));
        Assert.Equal(c.ProjectId, (int)(await (await c.Admin.Client.GetAsync(feedUrl)).JsonAsync(200))["project"]!);
        var (socket, _) = await UserSocketExtensions.OpenAsync(app, c.Admin.Access);
        using var _s = socket;

        var ticket = await c.Member.TicketAsync(c.ProjectId, "Fed");
        var id = (int)ticket["id"]!;
        await c.Member.PatchTicketAsync(id, new JsonObject { ["status"] = "in_progress" });
        await c.Member.PatchTicketAsync(id, new JsonObject { ["assignee_id"] = c.Admin.Id });
        await c.Member.PatchTicketAsync(id, new JsonObject { ["title"] = "Fed, renamed" });
        await (await c.Member.Client.PostAsJsonAsync($"/api/tickets/{id}/comments/", new { body = "noted" })).EnsureStatusAsync(201);

        var events = (await c.Admin.TimelineAsync(c.RoomId)).Where(m => (string?)m["type"] == "system").Select(m => m["event"]!).ToList();
        Assert.Equal(["ticket_feed_created", "ticket_status_changed", "ticket_assigned", "ticket_commented"], events.Select(e => (string)e["kind"]!));
        Assert.All(events, e => Assert.Equal(id, (int)e["ticket_id"]!));
        Assert.Equal("open", (string?)events[1]["old_status"]);
        Assert.Equal("in_progress", (string?)events[1]["new_status"]);
        Assert.Equal(c.Admin.Id, (int)events[2]["assignee_id"]!);
        Assert.NotNull(events[3]["comment_id"]);
        await socket.ReceiveWhereAsync("message_new", f => (string?)f["message"]?["event"]?["kind"] == "ticket_commented");

        // Only the followed events; then none at all.
        await (await c.Participant.Client.PutAsJsonAsync(feedUrl, new { project = c.ProjectId, events = new[] { "created" } })).EnsureStatusAsync(200);
        await c.Member.PatchTicketAsync(id, new JsonObject { ["status"] = "resolved" });
        await (await c.Participant.Client.DeleteAsync(feedUrl)).EnsureStatusAsync(204);
        await (await c.Participant.Client.DeleteAsync(feedUrl)).EnsureStatusAsync(204);
        await c.Member.TicketAsync(c.ProjectId, "Unfed");
        Assert.Equal(4, (await c.Admin.TimelineAsync(c.RoomId)).Count(m => (string?)m["type"] == "system"));
    }

    [Fact]
    public async Task Feed_RefusesBadInputAndOutsiders()
    {
        var c = await app.SceneAsync();
        var feedUrl = $"/api/chat/rooms/{c.RoomId}/ticket_feed/";
        var other = await app.CreateProjectAsync(c.Participant);
        await (await c.Participant.Client.PutAsJsonAsync(feedUrl, new { project = other, events = new[] { "created" } })).AssertFieldErrorAsync("project");
        await (await c.Participant.Client.PutAsJsonAsync(feedUrl, new { project = c.ProjectId, events = new[] { "deleted" } })).AssertFieldErrorAsync("events");
        await (await c.Participant.Client.PutAsJsonAsync(feedUrl, new { project = c.ProjectId, events = Array.Empty<string>() })).AssertFieldErrorAsync("events");
        await (await c.Participant.Client.PutAsJsonAsync(feedUrl, new { project = c.ProjectId, events = "created" })).AssertFieldErrorAsync("events");
        await (await c.Participant.Client.PutAsJsonAsync(feedUrl, new { events = new[] { "created" } })).AssertFieldErrorAsync("project");
        await (await c.Viewer.Client.PutAsJsonAsync(feedUrl, new { project = c.ProjectId, events = new[] { "created" } })).ProblemAsync(403);
        await (await c.Viewer.Client.DeleteAsync(feedUrl)).ProblemAsync(403);
        await (await c.Member.Client.PutAsJsonAsync(feedUrl, new { project = c.ProjectId, events = new[] { "created" } })).ProblemAsync(404);
        await (await c.Outsider.Client.GetAsync(feedUrl)).ProblemAsync(404);
    }

    // ---- live chips ----

    [Fact]
    public async Task TicketTopic_UpdatedFrames_CarryWhatAChipShows()
    {
        var c = await app.SceneAsync();
        var ticket = await c.Participant.TicketAsync(c.ProjectId, "Live chip");
        var (socket, _) = await UserSocketExtensions.OpenAsync(app, c.Admin.Access);
        using var _s = socket;
        await socket.SendAsync(new { type = "subscribe", topics = new[] { $"ticket:{ticket["id"]}" } });
        await socket.ReceiveWhereAsync("subscribed", _ => true);
        await (await c.Participant.Client.PatchAsJsonAsync($"/api/tickets/{ticket["id"]}/",
            new { status = "resolved", priority = "high", assignee_id = c.Admin.Id })).EnsureStatusAsync(200);
        var frame = await socket.ReceiveWhereAsync("ticket_updated", f => (string?)f["ticket"]?["status"] == "resolved");
        var t = frame["ticket"]!;
        Assert.Equal((string)ticket["key"]!, (string?)t["key"]);
        Assert.Equal("Live chip", (string?)t["title"]);
        Assert.Equal("high", (string?)t["priority"]);
        Assert.Equal(c.Admin.Id, (int)t["assignee"]!["id"]!);
    }
}
