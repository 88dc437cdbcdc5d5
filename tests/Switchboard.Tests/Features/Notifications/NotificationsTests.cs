using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Switchboard.Tests.Features.Chat;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Features.Notifications;

public sealed class NotificationsTestsOnSqlite(SqliteApp app) : NotificationsTests(app), IClassFixture<SqliteApp>;

public sealed class NotificationsTestsOnPostgres(PostgresApp app) : NotificationsTests(app), IClassFixture<PostgresApp>;

public abstract class NotificationsTests(SwitchboardApp app)
{
    private static async Task<JsonArray> ListAsync(TestUser user, bool unread = false) =>
        (await (await user.Client.GetAsync($"/api/notifications/{(unread ? "?unread=true" : "")}")).JsonAsync(200))["results"]!.AsArray();

    private static async Task<int> UnreadAsync(TestUser user) =>
        (int)(await (await user.Client.GetAsync("/api/notifications/unread_count/")).JsonAsync(200))["unread_count"]!;

    private static string[] Types(JsonArray list) => list.Select(n => (string)n!["type"]!).ToArray();

    [Fact]
    public async Task Mention_NotifiesExactlyTheMentionedParticipant_NeverTheActorOrAnOutsider()
    {
        var c = await app.CastAsync();
        var content = $"@{c.Participant.Username} look, and @{c.Creator.Username} and @{c.Member.Username} and @{c.Outsider.Username}";
        var message = await c.Creator.SendAsync(c.RoomId, content);
        // The author's own name is a mention in the text, but notifies nobody; non-participants are not mentions.
        Assert.Equal([c.Participant.Id, c.Creator.Id], message["mentions"]!["user_ids"]!.AsArray().Select(i => (int)i!).ToArray());
        Assert.False((bool)message["mentions"]!["room"]!);

        var list = await ListAsync(c.Participant);
        var n = Assert.Single(list)!;
        Assert.Equal(["id", "type", "actor", "project", "room", "message", "ticket", "excerpt", "created_at", "read_at"],
            n.AsObject().Select(p => p.Key).ToArray());
        Assert.Equal("mention", (string)n["type"]!);
        Assert.Equal(c.Creator.Id, (int)n["actor"]!["id"]!);
        Assert.Equal(c.RoomId, (int)n["room"]!);
        Assert.Equal((int)message["id"]!, (int)n["message"]!);
        Assert.Equal(content, (string)n["excerpt"]!);
        Assert.Null(n["read_at"]);
        Assert.Equal(1, await UnreadAsync(c.Participant));
        foreach (var nobody in new[] { c.Creator, c.Member, c.Outsider, c.Admin, c.Viewer })
        {
            Assert.Empty(await ListAsync(nobody));
        }
        var room = await (await c.Participant.Client.GetAsync($"/api/chat/rooms/{c.RoomId}/")).JsonAsync(200);
        Assert.Equal(1, (int)room["mention_count"]!);
        Assert.Equal(0, (int)(await (await c.Admin.Client.GetAsync($"/api/chat/rooms/{c.RoomId}/")).JsonAsync(200))["mention_count"]!);
    }

    [Fact]
    public async Task RoomMention_NotifiesEveryParticipantButTheAuthor_AndReadingTheRoomReadsIt()
    {
        var c = await app.CastAsync();
        await c.Participant.SendAsync(c.RoomId, "Heads up @room.");
        foreach (var user in new[] { c.Creator, c.Admin, c.Viewer })
        {
            Assert.Equal(["mention"], Types(await ListAsync(user)));
            Assert.Equal(1, (int)(await (await user.Client.GetAsync($"/api/chat/rooms/{c.RoomId}/")).JsonAsync(200))["mention_count"]!);
        }
        Assert.Empty(await ListAsync(c.Participant));
        Assert.Empty(await ListAsync(c.Member));

        await (await c.Admin.Client.PostAsync($"/api/chat/rooms/{c.RoomId}/mark_read/", null)).EnsureStatusAsync(200);
        Assert.Equal(0, await UnreadAsync(c.Admin));
        Assert.NotNull((await ListAsync(c.Admin))[0]!["read_at"]);
        Assert.Equal(0, (int)(await (await c.Admin.Client.GetAsync($"/api/chat/rooms/{c.RoomId}/")).JsonAsync(200))["mention_count"]!);
        Assert.Equal(1, await UnreadAsync(c.Creator));
    }

    [Fact]
    public async Task DirectMessage_NotifiesTheOtherPerson()
    {
        var c = await app.CastAsync();
        var room = (int)(await (await c.Creator.PostJsonAsync("/api/chat/rooms/",
            new { type = "direct", project = c.ProjectId, participant_ids = new[] { c.Participant.Id } })).JsonAsync(201))["id"]!;
        await c.Creator.SendAsync(room, "psst");
        Assert.Equal(["direct_message"], Types(await ListAsync(c.Participant)));
        Assert.Empty(await ListAsync(c.Creator));
    }

    [Fact]
    public async Task ThreadReply_NotifiesFollowers_AndAMentionInItOutranksTheReply()
    {
        var c = await app.CastAsync();
        var root = await c.Creator.SendIdAsync(c.RoomId, "root");
        await (await c.Participant.PostJsonAsync("/api/chat/messages/", new { room = c.RoomId, content = "first", thread_root_id = root }))
            .EnsureStatusAsync(201);
        await (await c.Admin.PostJsonAsync("/api/chat/messages/",
            new { room = c.RoomId, content = $"second @{c.Creator.Username}", thread_root_id = root })).EnsureStatusAsync(201);

        Assert.Equal(["mention", "thread_reply"], Types(await ListAsync(c.Creator)));
        Assert.Equal(["thread_reply"], Types(await ListAsync(c.Participant)));
        Assert.Empty(await ListAsync(c.Admin));
        Assert.Empty(await ListAsync(c.Viewer));

        // Reading the thread reads its notifications; reading the room does not read a thread's.
        await (await c.Participant.Client.PostAsync($"/api/chat/rooms/{c.RoomId}/mark_read/", null)).EnsureStatusAsync(200);
        Assert.Equal(1, await UnreadAsync(c.Participant));
        await (await c.Participant.Client.PostAsync($"/api/chat/threads/{root}/mark_read/", null)).EnsureStatusAsync(200);
        Assert.Equal(0, await UnreadAsync(c.Participant));
    }

    [Fact]
    public async Task EditThatAddsAMention_Notifies_AndRemovingItDoesNotUnnotify()
    {
        var c = await app.CastAsync();
        var id = await c.Creator.SendIdAsync(c.RoomId, "hello");
        await (await c.Creator.Client.PatchAsJsonAsync($"/api/chat/messages/{id}/", new { content = $"hello @{c.Admin.Username}" }))
            .EnsureStatusAsync(200);
        Assert.Equal(["mention"], Types(await ListAsync(c.Admin)));
        var edited = await (await c.Creator.Client.PatchAsJsonAsync($"/api/chat/messages/{id}/", new { content = "hello" })).JsonAsync(200);
        Assert.Empty(edited["mentions"]!["user_ids"]!.AsArray());
        Assert.Single(await ListAsync(c.Admin));
        await (await c.Creator.Client.PatchAsJsonAsync($"/api/chat/messages/{id}/", new { content = $"hello again @{c.Admin.Username}" }))
            .EnsureStatusAsync(200);
        Assert.Single(await ListAsync(c.Admin));
    }

    [Fact]
    public async Task MarkRead_ByIdsOrAll_AndOthersIdsAreUntouched()
    {
        var c = await app.CastAsync();
        await c.Creator.SendAsync(c.RoomId, "@room one");
        await c.Creator.SendAsync(c.RoomId, "@room two");
        var mine = (await ListAsync(c.Participant)).Select(n => (long)n!["id"]!).ToArray();
        var theirs = (await ListAsync(c.Admin)).Select(n => (long)n!["id"]!).ToArray();

        var marked = await (await c.Participant.PostJsonAsync("/api/notifications/mark_read/", new { ids = new[] { mine[0], theirs[0] } }))
            .JsonAsync(200);
        Assert.Equal([mine[0]], marked["ids"]!.AsArray().Select(i => (long)i!).ToArray());
        Assert.Equal(1, await UnreadAsync(c.Participant));
        Assert.Equal(2, await UnreadAsync(c.Admin));
        Assert.Equal([mine[1]], (await ListAsync(c.Participant, unread: true)).Select(n => (long)n!["id"]!).ToArray());

        await (await c.Participant.PostJsonAsync("/api/notifications/mark_read/", new { all = true })).EnsureStatusAsync(200);
        Assert.Equal(0, await UnreadAsync(c.Participant));
        await (await c.Participant.PostJsonAsync("/api/notifications/mark_read/", new { })).AssertFieldErrorAsync("ids");
        await (await c.Participant.PostJsonAsync("/api/notifications/mark_read/", new { ids = "x" })).AssertFieldErrorAsync("ids");
        await (await c.Participant.Client.GetAsync("/api/notifications/?unread=maybe")).AssertFieldErrorAsync("unread");
    }

    [Fact]
    public async Task RemovalFromTheProject_HidesItsNotifications()
    {
        var c = await app.CastAsync();
        await c.Creator.SendAsync(c.RoomId, $"@{c.Participant.Username} hi");
        Assert.Equal(1, await UnreadAsync(c.Participant));
        await (await c.Owner.Client.DeleteAsync($"/api/projects/{c.ProjectId}/members/{c.Participant.Id}/")).EnsureStatusAsync(204);
        Assert.Empty(await ListAsync(c.Participant));
        Assert.Equal(0, await UnreadAsync(c.Participant));
    }

    [Fact]
    public async Task Mentions_OfSomeoneRemovedFromTheRoomOrTheProject_NotifyNobodyAndRevealNothing()
    {
        var c = await app.CastAsync();
        var root = await c.Creator.SendIdAsync(c.RoomId, "root");
        // The participant follows the thread (by replying), then is removed from the room; the admin
        // is removed from the project.
        await (await c.Participant.PostJsonAsync("/api/chat/messages/", new { room = c.RoomId, content = "mine", thread_root_id = root }))
            .EnsureStatusAsync(201);
        await (await c.Creator.PostJsonAsync($"/api/chat/rooms/{c.RoomId}/remove_participant/", new { user_id = c.Participant.Id }))
            .EnsureStatusAsync(204);
        await (await c.Owner.Client.DeleteAsync($"/api/projects/{c.ProjectId}/members/{c.Admin.Id}/")).EnsureStatusAsync(204);

        var message = await c.Creator.SendAsync(c.RoomId, $"@{c.Participant.Username} @{c.Admin.Username} and @room");
        Assert.Empty(message["mentions"]!["user_ids"]!.AsArray());
        await (await c.Creator.PostJsonAsync("/api/chat/messages/",
            new { room = c.RoomId, content = $"in the thread @{c.Participant.Username}", thread_root_id = root })).EnsureStatusAsync(201);

        Assert.Empty(await ListAsync(c.Participant));
        Assert.Equal(0, await UnreadAsync(c.Participant));
        Assert.Empty(await ListAsync(c.Admin));
        Assert.Equal(["mention"], Types(await ListAsync(c.Viewer)));
    }

    [Fact]
    public async Task TicketChanges_NotifyTheAssigneeAndWatchers_NeverTheActor()
    {
        var c = await app.CastAsync();
        var ticket = await (await c.Creator.PostJsonAsync("/api/tickets/",
            new { project = c.ProjectId, title = "Printer on fire", assignee_id = c.Participant.Id })).JsonAsync(201);
        var id = (int)ticket["id"]!;
        Assert.Equal(["ticket_assigned"], Types(await ListAsync(c.Participant)));
        Assert.Empty(await ListAsync(c.Creator));
        await (await c.Admin.Client.PostAsync($"/api/tickets/{id}/watch/", null)).EnsureStatusAsync(204);

        await (await c.Participant.Client.PatchAsJsonAsync($"/api/tickets/{id}/", new { status = "in_progress" })).EnsureStatusAsync(200);
        Assert.Equal(["ticket_status_changed"], Types(await ListAsync(c.Creator)));
        Assert.Equal(["ticket_status_changed"], Types(await ListAsync(c.Admin)));
        Assert.Equal(["ticket_assigned"], Types(await ListAsync(c.Participant)));

        await (await c.Admin.PostJsonAsync($"/api/tickets/{id}/comments/", new { body = "On it" })).EnsureStatusAsync(201);
        Assert.Equal(["ticket_commented", "ticket_assigned"], Types(await ListAsync(c.Participant)));
        Assert.Equal(["ticket_commented", "ticket_status_changed"], Types(await ListAsync(c.Creator)));
        Assert.Equal(["ticket_status_changed"], Types(await ListAsync(c.Admin)));
        Assert.Equal(id, (int)(await ListAsync(c.Creator))[0]!["ticket"]!);

        await (await c.Creator.Client.PatchAsJsonAsync($"/api/tickets/{id}/", new { assignee_id = c.Member.Id })).EnsureStatusAsync(200);
        Assert.Equal(["ticket_assigned"], Types(await ListAsync(c.Member)));
        Assert.Empty(await ListAsync(c.Outsider));
    }
}
