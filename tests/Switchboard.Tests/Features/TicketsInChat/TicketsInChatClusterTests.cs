using System.Net.Http.Headers;
using System.Net.Http.Json;
using Switchboard.Data;
using Switchboard.Tests.Features.Chat;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Realtime;

namespace Switchboard.Tests.Features.TicketsInChat;

/// <summary>A ticket's discussion with two server instances sharing PostgreSQL and Redis: each side once, whichever instance takes the change.</summary>
public sealed class TicketsInChatClusterTests : IDisposable
{
    private readonly OwnRedis _redis = new();
    private readonly TicketsInChatApp _a;
    private readonly TicketsInChatApp _b;

    public TicketsInChatClusterTests()
    {
        _redis.Start();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = TestDatabases.CreatePostgresDatabase(),
            ["Redis:Configuration"] = _redis.Configuration,
            ["Jwt:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)),
        };
        _a = new TicketsInChatApp(DatabaseProvider.Postgres, settings);
        _b = new TicketsInChatApp(DatabaseProvider.Postgres, settings);
    }

    private HttpClient OnB(TestUser user)
    {
        var client = _b.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Access);
        return client;
    }

    [Fact]
    public async Task Discussion_SyncsBothWays_AcrossInstances_ExactlyOnce()
    {
        var alice = await _a.CreateUserAsync("alice");
        var bob = await _a.CreateUserAsync("bob");
        var project = await _a.CreateProjectAsync(alice, (bob, "member"));
        var room = await ChatKit.CreateRoomAsync(alice, project, "Ops", bob.Id);
        var ticket = await alice.TicketAsync(project, "Across instances");
        var id = (int)ticket["id"]!;
        var root = (int)(await (await alice.Client.PostAsJsonAsync($"/api/tickets/{id}/discussion/", new { room })).JsonAsync(201))["discussion"]!["root_id"]!;
        var (bobOnB, _) = await UserSocketExtensions.OpenAsync(_b, bob.Access);
        using var _s1 = bobOnB;
        var (aliceOnA, _) = await UserSocketExtensions.OpenAsync(_a, alice.Access);
        using var _s2 = aliceOnA;
        await aliceOnA.SendAsync(new { type = "subscribe", topics = new[] { $"ticket:{id}" } });
        await aliceOnA.ReceiveWhereAsync("subscribed", _ => true);

        // A comment on A is a reply in Bob's open thread on B.
        await (await alice.Client.PostAsJsonAsync($"/api/tickets/{id}/comments/", new { body = "comment on A" })).EnsureStatusAsync(201);
        var reply = await bobOnB.ReceiveMessageInAsync(room, "comment on A");
        Assert.Equal(root, (int)reply["message"]!["thread_root_id"]!);

        // A reply on B is a comment that Alice's ticket topic on A hears.
        using var bobClientB = OnB(bob);
        await (await bobClientB.PostAsJsonAsync("/api/chat/messages/", new { room, content = "reply on B", type = "text", thread_root_id = root }))
            .EnsureStatusAsync(201);
        var added = await aliceOnA.ReceiveWhereAsync("comment_added", f => (string?)f["comment"]?["body"] == "reply on B");
        Assert.Equal(bob.Id, (int)added["comment"]!["author"]!["id"]!);

        // Edits of the same pair from both instances at once: both sides end the same.
        var commentId = (int)(await alice.CommentsAsync(id)).Single(c => (string?)c["body"] == "comment on A")["id"]!;
        var replyId = (int)reply["message"]!["id"]!;
        using var aliceClientB = OnB(alice);
        var edits = Enumerable.Range(1, 10).Select(i => i % 2 == 0
            ? alice.Client.PatchAsJsonAsync($"/api/tickets/{id}/comments/{commentId}/", new { body = $"A {i}" })
            : aliceClientB.PatchAsJsonAsync($"/api/chat/messages/{replyId}/", new { content = $"B {i}" }));
        foreach (var response in await Task.WhenAll(edits))
        {
            await response.EnsureStatusAsync(200);
        }
        var comments = await alice.CommentsAsync(id);
        var thread = await bob.ThreadAsync(root);
        Assert.Equal(2, comments.Count);
        Assert.Equal(3, thread.Count);
        Assert.Equal((string?)comments.Single(c => (int)c["id"]! == commentId)["body"],
            (string?)thread.Single(m => (int)m["id"]! == replyId)["content"]);

        // A crash on A in the middle of a reply leaves nothing; the retry on B makes one of each.
        _a.Faults.FailOn = "ticket_discussion_posts";
        var crashed = await bob.Client.PostAsJsonAsync("/api/chat/messages/",
            new { room, content = "after a crash", type = "text", thread_root_id = root, client_id = "c-1" });
        Assert.Equal(500, (int)crashed.StatusCode);
        await (await bobClientB.PostAsJsonAsync("/api/chat/messages/",
            new { room, content = "after a crash", type = "text", thread_root_id = root, client_id = "c-1" })).EnsureStatusAsync(201);
        Assert.Single(await alice.CommentsAsync(id), c => (string?)c["body"] == "after a crash");
        Assert.Single(await bob.ThreadAsync(root), m => (string?)m["content"] == "after a crash");

        // Deletes from B follow on A.
        await (await aliceClientB.DeleteAsync($"/api/tickets/{id}/comments/{commentId}/")).EnsureStatusAsync(204);
        await (await alice.Client.GetAsync($"/api/chat/messages/{replyId}/")).ProblemAsync(404);

        // The ticket feed: events caused on either instance are posted once each, and heard on both.
        await (await aliceClientB.PutAsJsonAsync($"/api/chat/rooms/{room}/ticket_feed/",
            new { project, events = new[] { "created", "status_changed" } })).EnsureStatusAsync(200);
        var fed = await alice.TicketAsync(project, "Fed on A");
        await (await bobClientB.PatchAsJsonAsync($"/api/tickets/{fed["id"]}/", new { status = "resolved" })).EnsureStatusAsync(200);
        await bobOnB.ReceiveWhereAsync("message_new", f => (string?)f["message"]?["event"]?["kind"] == "ticket_feed_created");
        await aliceOnA.ReceiveWhereAsync("message_new", f => (string?)f["message"]?["event"]?["kind"] == "ticket_status_changed");
        var kinds = (await alice.TimelineAsync(room)).Where(m => (int?)m["event"]?["ticket_id"] == (int)fed["id"]!)
            .Select(m => (string)m["event"]!["kind"]!).ToList();
        Assert.Equal(["ticket_feed_created", "ticket_status_changed"], kinds);
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _redis.Dispose();
    }
}
