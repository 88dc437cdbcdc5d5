using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat.Messages;
using Switchboard.Infrastructure;
using Switchboard.Infrastructure.RateLimiting;
using Switchboard.Realtime;

namespace Switchboard.Features.Chat;

/// <summary>
/// The chat frames a client sends over either socket: carried out with the same service the REST
/// endpoints use. On the user socket each names its room (<c>room_id</c>); a room the user is not
/// in is <c>not_found</c>, as on REST.
/// </summary>
public sealed class ChatSocketHandler(IServiceScopeFactory scopes, ChatRateLimiter limiter, IRoomEvents events) : ISocketFrameHandler
{
    private static readonly TimeSpan TypingTimeout = TimeSpan.FromSeconds(6);

    public IReadOnlyCollection<string> FrameTypes { get; } =
        ["typing", "message_send", "message_edit", "message_delete", "reaction_add", "reaction_remove"];

    public async Task<ErrorFrame?> HandleAsync(SocketFrame frame, SocketSession session, CancellationToken ct)
    {
        var roomId = session.RoomOf(frame);
        if (frame.Type == "typing")
        {
            var isTyping = frame.RequiredBool("is_typing");
            if (!session.InRoom(roomId))
            {
                return RoomNotFound();
            }
            await Typing(session).SetAsync(roomId, isTyping);
            return null;
        }
        if (frame.Type == "message_send")
        {
            // A reply names its root as on REST; the service checks it (same room, one level deep)
            // and answers a validation error naming thread_root_id.
            var rootId = frame.OptionalId("thread_root_id");
            if (rootId > int.MaxValue)
            {
                return ChatError.Validation("thread_root_id", "Reply to a message of this room.").ToFrame(frame.ClientId);
            }
            var send = new SendMessageInput(roomId, frame.OptionalString("content") ?? "", frame.OptionalString("message_type") ?? "text", frame.ClientId,
                ThreadRootId: (int?)rootId, AlsoSendToRoom: frame.OptionalBool("also_send_to_room"));
            if (!await MaySendNowAsync(session.UserId, ct))
            {
                return new ErrorFrame(ErrorCodes.RateLimited, "You are sending messages too fast; nothing was stored.", frame.ClientId);
            }
            await using var scope = scopes.CreateAsyncScope();
            var sent = await scope.ServiceProvider.GetRequiredService<ChatService>().SendAsync(session.UserId, send, ct);
            await Typing(session).SetAsync(roomId, false);
            return sent.Error?.ToFrame(frame.ClientId);
        }

        var messageId = frame.RequiredId("message_id");
        string? content = frame.Type == "message_edit" ? frame.RequiredString("content") : null;
        string? emoji = frame.Type is "reaction_add" or "reaction_remove" ? frame.RequiredString("emoji") : null;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var chat = scope.ServiceProvider.GetRequiredService<ChatService>();
            if (await InRoomAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), roomId, messageId, ct) is not { } id)
            {
                return new ErrorFrame(ErrorCodes.NotFound, "Message not found.");
            }
            var error = frame.Type switch
            {
                "message_edit" => (await chat.EditAsync(session.UserId, id, content, ct)).Error,
                "message_delete" => (await chat.DeleteAsync(session.UserId, id, ct)).Error,
                "reaction_add" => (await chat.AddReactionAsync(session.UserId, id, emoji, ct)).Error,
                _ => (await chat.RemoveReactionAsync(session.UserId, id, emoji, ct)).Error,
            };
            return error?.ToFrame();
        }
    }

    /// <summary>The one place that decides whether this user may send a message now.</summary>
    private ValueTask<bool> MaySendNowAsync(int userId, CancellationToken ct) => limiter.TryAcquireAsync(userId, ct);

    private static ErrorFrame RoomNotFound() => new(ErrorCodes.NotFound, "Room not found.");

    /// <summary>A frame acts on a message of the room it names; a message elsewhere is as good as missing.</summary>
    private static async Task<int?> InRoomAsync(AppDbContext db, int roomId, long messageId, CancellationToken ct)
    {
        if (messageId > int.MaxValue)
        {
            return null;
        }
        var id = (int)messageId;
        return await db.Set<ChatMessage>().AnyAsync(m => m.Id == id && m.RoomId == roomId, ct) ? id : null;
    }

    private TypingState Typing(SocketSession session) => session.Feature(() =>
    {
        var state = new TypingState(session.UserId, events);
        session.OnClosed(state.StopAllAsync);
        return state;
    });

    /// <summary>Who this socket is typing in. Typing runs out by itself when updates stop, so a vanished typist does not type forever.</summary>
    private sealed class TypingState(int userId, IRoomEvents events)
    {
        private readonly Dictionary<int, CancellationTokenSource> _typing = [];

        public async Task SetAsync(int roomId, bool isTyping)
        {
            bool wasTyping;
            lock (_typing)
            {
                wasTyping = _typing.Remove(roomId, out var timer);
                timer?.Cancel();
                if (isTyping)
                {
                    var expiry = new CancellationTokenSource();
                    _typing[roomId] = expiry;
                    _ = Task.Delay(TypingTimeout, expiry.Token).ContinueWith(t => t.IsCanceled ? Task.CompletedTask : ExpireAsync(roomId, expiry),
                        TaskScheduler.Default).Unwrap();
                }
            }
            if (isTyping != wasTyping)
            {
                await PublishAsync(roomId, isTyping);
            }
        }

        private async Task ExpireAsync(int roomId, CancellationTokenSource expiry)
        {
            lock (_typing)
            {
                if (!_typing.TryGetValue(roomId, out var current) || current != expiry)
                {
                    return;
                }
                _typing.Remove(roomId);
            }
            await PublishAsync(roomId, false);
        }

        public async Task StopAllAsync()
        {
            List<int> rooms;
            lock (_typing)
            {
                rooms = [.. _typing.Keys];
                foreach (var timer in _typing.Values)
                {
                    timer.Cancel();
                }
                _typing.Clear();
            }
            foreach (var roomId in rooms)
            {
                await PublishAsync(roomId, false);
            }
        }

        private ValueTask PublishAsync(int roomId, bool isTyping) =>
            events.PublishAsync(new RoomEvent(roomId, new UserTypingFrame(userId, isTyping), ExceptUserId: userId, Droppable: true));
    }
}
