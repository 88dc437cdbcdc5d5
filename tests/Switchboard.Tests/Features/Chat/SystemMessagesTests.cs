using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Features.Chat.Messages;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Realtime;

namespace Switchboard.Tests.Features.Chat;

public sealed class SystemMessagesTestsOnSqlite(SqliteUserSocketApp app) : SystemMessagesTests(app), IClassFixture<SqliteUserSocketApp>;

public sealed class SystemMessagesTestsOnPostgres(PostgresUserSocketApp app) : SystemMessagesTests(app), IClassFixture<PostgresUserSocketApp>;

/// <summary>Messages the server writes for an event (a ticket created, a call ended): what every feature that posts them relies on.</summary>
public abstract class SystemMessagesTests(KestrelApp app)
{
    private async Task<ChatResult<Switchboard.Features.Chat.MessageDto>> PostAsync(SystemMessageInput input)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ChatService>().PostSystemAsync(input);
    }

    [Fact]
    public async Task PostedSystemMessage_IsInTheTimelineWithItsEvent_AndReachesTheRoomLive()
    {
        var c = await app.CastAsync();
        var (socket, _) = await UserSocketExtensions.OpenAsync(app, c.Admin.Access);
        using var _s = socket;

        var result = await PostAsync(new SystemMessageInput(c.RoomId, c.Participant.Id, "Pat created ABC-1",
            SystemMessages.WriteEvent("ticket_created", new { TicketId = 41, Extra = (string?)null })));
        Assert.True(result.IsSuccess);

        var frame = await socket.ReceiveMessageInAsync(c.RoomId, "Pat created ABC-1");
        Assert.Equal("system", (string?)frame["message"]!["type"]);
        Assert.Equal("ticket_created", (string?)frame["message"]!["event"]!["kind"]);
        Assert.Equal(41, (int?)frame["message"]!["event"]!["ticket_id"]);

        var page = await (await c.Admin.Client.GetAsync($"/api/chat/messages/?room={c.RoomId}")).JsonAsync(200);
        var listed = page["results"]!.AsArray().Single(m => (int)m!["id"]! == result.Value!.Id)!;
        Assert.Equal("system", (string?)listed["type"]);
        Assert.Equal(c.Participant.Id, (int?)listed["user"]!["id"]);
        Assert.Equal("ticket_created", (string?)listed["event"]!["kind"]);
        Assert.True(listed["event"]!.AsObject().ContainsKey("extra"));
    }

    [Fact]
    public async Task OrdinaryMessages_CarryANullEvent()
    {
        var c = await app.CastAsync();
        var id = await c.Participant.SendIdAsync(c.RoomId, "plain words");
        var read = await (await c.Admin.Client.GetAsync($"/api/chat/messages/{id}/")).JsonAsync(200);
        Assert.True(read.ContainsKey("event"));
        Assert.Null(read["event"]);
    }

    [Fact]
    public async Task SystemMessage_CannotBeEditedEvenByItsActor()
    {
        var c = await app.CastAsync();
        var result = await PostAsync(new SystemMessageInput(c.RoomId, c.Participant.Id, "Call ended (0:42)",
            SystemMessages.WriteEvent("call_ended", new { CallId = 7, DurationMs = 42_000 })));
        var problem = await (await c.Participant.Client.PatchAsJsonAsync($"/api/chat/messages/{result.Value!.Id}/", new { content = "rewritten" }))
            .ProblemAsync(403);
        Assert.Contains("cannot be edited", (string?)problem["detail"]);
    }

    [Fact]
    public async Task SystemMessageInAThread_CountsAsAReply_WithoutNotifyingTheFollowers()
    {
        var c = await app.CastAsync();
        var root = await c.Participant.SendIdAsync(c.RoomId, "a root to hang an event on");
        var before = await (await c.Participant.Client.GetAsync("/api/notifications/unread_count/")).JsonAsync(200);

        var result = await PostAsync(new SystemMessageInput(c.RoomId, c.Admin.Id, "Ticket ABC-2 created from this thread",
            SystemMessages.WriteEvent("ticket_created", new { TicketId = 2 }), ThreadRootId: root));
        Assert.True(result.IsSuccess);

        var thread = await (await c.Participant.Client.GetAsync($"/api/chat/messages/?thread={root}")).JsonAsync(200);
        var rows = thread["results"]!.AsArray();
        Assert.Contains(rows, m => (int)m!["id"]! == result.Value!.Id && (string?)m["type"] == "system");
        var rootRow = await (await c.Participant.Client.GetAsync($"/api/chat/messages/{root}/")).JsonAsync(200);
        Assert.Equal(1, (int)rootRow["reply_count"]!);
        var after = await (await c.Participant.Client.GetAsync("/api/notifications/unread_count/")).JsonAsync(200);
        Assert.Equal((int)before["unread_count"]!, (int)after["unread_count"]!);
    }

    [Fact]
    public async Task PostingIntoAMissingRoomOrAReplyAsRoot_IsRefused()
    {
        var c = await app.CastAsync();
        var missing = await PostAsync(new SystemMessageInput(int.MaxValue, c.Admin.Id, "nowhere", SystemMessages.WriteEvent("x")));
        Assert.Equal("not_found", missing.Error?.Code);

        var root = await c.Participant.SendIdAsync(c.RoomId, "root");
        var reply = await (await c.Participant.Client.PostAsJsonAsync("/api/chat/messages/",
            new { room = c.RoomId, content = "reply", thread_root_id = root })).JsonAsync(201);
        var nested = await PostAsync(new SystemMessageInput(c.RoomId, c.Admin.Id, "nested", SystemMessages.WriteEvent("x"),
            ThreadRootId: (int)reply["id"]!));
        Assert.Equal("validation_error", nested.Error?.Code);
    }

    [Fact]
    public void WriteEvent_PutsKindFirstAndRefusesAnEventTooBigToStore()
    {
        Assert.Equal("""{"kind":"status_changed","ticket_id":3,"old_status":"open"}""",
            SystemMessages.WriteEvent("status_changed", new { TicketId = 3, OldStatus = "open", Kind = "ignored" }));
        Assert.Throws<ArgumentException>(() => SystemMessages.WriteEvent("big", new { Text = new string('x', SystemMessages.MaxEventLength) }));
    }
}
