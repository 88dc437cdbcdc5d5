using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Data;
using Switchboard.Features.Chat.Messages;
using Switchboard.Features.Chat.Rooms;
using Switchboard.Features.Notifications;
using Switchboard.Features.Users;
using Switchboard.Infrastructure;
using Switchboard.Realtime;

namespace Switchboard.Features.Calls;

/// <summary>
/// The call state machine, shared by REST and the sweeper. Every change that could race (a join
/// against a full call, the last two people leaving at once, a decline against the ring timeout)
/// is one conditional UPDATE, so exactly one caller wins on SQLite and PostgreSQL alike and the
/// others read what happened. Events go to the room's user sockets after commit.
/// </summary>
public sealed class CallService(
    AppDbContext db,
    Notifier notifier,
    ChatService chat,
    IUserEvents userEvents,
    TimeProvider clock,
    IOptions<SwitchboardOptions> options,
    ILogger<CallService> logger)
{
    private const string NotFound = "Call not found.";
    private CallOptions Options => options.Value.Calls;

    public async Task<ChatResult<CallDto>> StartAsync(int userId, int roomId, string? media, CancellationToken ct = default)
    {
        var access = await db.RoomAccessAsync(roomId, userId, ct);
        if (access is null)
        {
            return ChatError.NotFound("Room not found.");
        }
        if (!access.CanWrite)
        {
            return ChatError.Forbidden("Viewers cannot start calls.");
        }
        if (!CallMedia.IsValid(media))
        {
            return ChatError.Validation("media", media is null ? "This field is required." : "Choose audio or video.");
        }
        if (await db.Set<Call>().AnyAsync(c => c.OpenRoomId == roomId, ct))
        {
            return Conflict("This room already has a call; join it instead.");
        }

        var now = Now();
        var invited = await RoomMembersAsync(roomId, ct);
        var call = new Call
        {
            RoomId = roomId,
            OpenRoomId = roomId,
            StartedById = userId,
            Media = media!,
            State = CallStates.Ringing,
            JoinedCount = 1,
            StartedAt = now,
            RingDeadline = now.AddSeconds(Options.RingSeconds),
            Participants = invited.Select(id => id == userId
                ? new CallParticipant { UserId = id, State = CallPresence.Joined, JoinedAt = now }
                : new CallParticipant { UserId = id, State = CallPresence.Ringing }).ToList(),
        };
        db.Add(call);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (ProblemDetailsExceptionHandler.IsUniqueViolation(e))
        {
            // Someone else started one in this room a moment ago: the unique open-room index decided.
            return Conflict("This room already has a call; join it instead.");
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
        var dto = (await ReadAsync(call.Id, ct))!;
        await PublishAsync("call_ringing", dto, null, ct);
        return Ok(dto);
    }

    public async Task<ChatResult<CallDto>> GetAsync(int userId, int callId, CancellationToken ct = default) =>
        await VisibleAsync(userId, callId, ct) is null ? ChatError.NotFound(NotFound) : Ok((await ReadAsync(callId, ct))!);

    public async Task<ChatResult<CallDto>> JoinAsync(int userId, int callId, CancellationToken ct = default)
    {
        var call = await VisibleAsync(userId, callId, ct);
        if (call is null)
        {
            return ChatError.NotFound(NotFound);
        }
        if (call.EndedAt is not null)
        {
            return Conflict("This call has ended.");
        }
        var now = Now();
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var participants = db.Set<CallParticipant>().Where(p => p.CallId == callId && p.UserId == userId);
            var changed = await participants.Where(p => p.State != CallPresence.Joined)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.State, CallPresence.Joined).SetProperty(p => p.JoinedAt, now)
                    .SetProperty(p => p.LeftAt, (DateTime?)null), ct);
            if (changed == 0)
            {
                if (await participants.AnyAsync(ct))
                {
                    // Already in (another tab, a retry): nothing changes.
                    await tx.RollbackAsync(ct);
                    return Ok((await ReadAsync(callId, ct))!);
                }
                // In the room, but not when the call started: they may still come in.
                db.Add(new CallParticipant { CallId = callId, UserId = userId, State = CallPresence.Joined, JoinedAt = now });
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException e) when (ProblemDetailsExceptionHandler.IsUniqueViolation(e))
                {
                    // The same person joining from two places at once: the other request counted them.
                    await tx.RollbackAsync(CancellationToken.None);
                    return Ok((await ReadAsync(callId, ct))!);
                }
                finally
                {
                    db.ChangeTracker.Clear();
                }
            }
            var counted = await db.Set<Call>().Where(c => c.Id == callId && c.EndedAt == null && c.JoinedCount < Call.MaxParticipants)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.JoinedCount, c => c.JoinedCount + 1), ct);
            if (counted == 0)
            {
                await tx.RollbackAsync(ct);
                var endedAt = await db.Set<Call>().AsNoTracking().Where(c => c.Id == callId).Select(c => c.EndedAt).SingleAsync(ct);
                return Conflict(endedAt is null ? $"This call is full: at most {Call.MaxParticipants} people can be in it." : "This call has ended.");
            }
            await db.Set<Call>().Where(c => c.Id == callId && c.State == CallStates.Ringing)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.State, CallStates.Active).SetProperty(c => c.AnsweredAt, now), ct);
            await tx.CommitAsync(ct);
        }
        var dto = (await ReadAsync(callId, ct))!;
        await PublishAsync("call_joined", dto, userId, ct);
        return Ok(dto);
    }

    /// <summary>Leaving a call one is not in changes nothing and answers the call as it is (hanging up twice is harmless).</summary>
    public async Task<ChatResult<CallDto>> LeaveAsync(int userId, int callId, CancellationToken ct = default)
    {
        var call = await VisibleAsync(userId, callId, ct);
        if (call is null)
        {
            return ChatError.NotFound(NotFound);
        }
        return Ok(await LeaveCoreAsync(userId, callId, ct));
    }

    /// <summary>Also used by the sweeper for someone who has been offline too long to still be in a call.</summary>
    internal async Task<CallDto> LeaveCoreAsync(int userId, int callId, CancellationToken ct)
    {
        var now = Now();
        bool left, ended;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            left = await db.Set<CallParticipant>().Where(p => p.CallId == callId && p.UserId == userId && p.State == CallPresence.Joined)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.State, CallPresence.Left).SetProperty(p => p.LeftAt, now), ct) == 1;
            if (!left)
            {
                await tx.RollbackAsync(ct);
                return (await ReadAsync(callId, ct))!;
            }
            await db.Set<Call>().Where(c => c.Id == callId && c.JoinedCount > 0)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.JoinedCount, c => c.JoinedCount - 1), ct);
            ended = await EndCoreAsync(callId, now, db.Set<Call>().Where(c => c.Id == callId && c.JoinedCount == 0 && c.EndedAt == null), ct);
            await tx.CommitAsync(ct);
        }
        var dto = (await ReadAsync(callId, ct))!;
        await PublishAsync("call_left", dto, userId, ct);
        if (ended)
        {
            await AnnounceEndAsync(dto, ct);
        }
        return dto;
    }

    public async Task<ChatResult<CallDto>> DeclineAsync(int userId, int callId, CancellationToken ct = default)
    {
        var call = await VisibleAsync(userId, callId, ct);
        if (call is null)
        {
            return ChatError.NotFound(NotFound);
        }
        var now = Now();
        bool ended;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var declined = await db.Set<CallParticipant>()
                .Where(p => p.CallId == callId && p.UserId == userId && p.State == CallPresence.Ringing && db.Set<Call>().Any(c => c.Id == callId && c.EndedAt == null))
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.State, CallPresence.Declined).SetProperty(p => p.LeftAt, now), ct);
            if (declined == 0)
            {
                await tx.RollbackAsync(ct);
                return Conflict(call.EndedAt is not null ? "This call has ended." : "This call is not ringing for you.");
            }
            // In a direct room the one person called said no: nobody is left to wait for.
            ended = call.RoomType == RoomType.Direct
                && await EndCoreAsync(callId, now, db.Set<Call>().Where(c => c.Id == callId && c.EndedAt == null), ct);
            await tx.CommitAsync(ct);
        }
        var dto = (await ReadAsync(callId, ct))!;
        await PublishAsync("call_declined", dto, userId, ct);
        if (ended)
        {
            await AnnounceEndAsync(dto, ct);
        }
        return Ok(dto);
    }

    /// <summary>Ends a call whose ring ran out with nobody answering; false when another instance (or an answer) got there first.</summary>
    public async Task<bool> EndUnansweredAsync(int callId, CancellationToken ct = default)
    {
        var now = Now();
        bool ended;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Participant rows first, then the call, as join and leave take them: on PostgreSQL a
            // join at the very moment of the timeout waits instead of deadlocking.
            await db.Set<CallParticipant>().Where(p => p.CallId == callId).ExecuteUpdateAsync(s => s.SetProperty(p => p.State, p => p.State), ct);
            ended = await EndCoreAsync(callId, now,
                db.Set<Call>().Where(c => c.Id == callId && c.State == CallStates.Ringing && c.EndedAt == null && c.RingDeadline <= now), ct);
            await tx.CommitAsync(ct);
        }
        if (ended)
        {
            await AnnounceEndAsync((await ReadAsync(callId, ct))!, ct);
        }
        return ended;
    }

    /// <summary>
    /// Inside the caller's transaction: ends the call if <paramref name="which"/> still matches it
    /// (the conditional UPDATE is the decision), everyone in it leaves, and whoever was still being
    /// rung missed it and is notified.
    /// </summary>
    private async Task<bool> EndCoreAsync(int callId, DateTime now, IQueryable<Call> which, CancellationToken ct)
    {
        var won = await which.ExecuteUpdateAsync(s => s.SetProperty(c => c.State, CallStates.Ended).SetProperty(c => c.EndedAt, now)
            .SetProperty(c => c.OpenRoomId, (int?)null).SetProperty(c => c.JoinedCount, 0), ct) == 1;
        if (!won)
        {
            return false;
        }
        var participants = db.Set<CallParticipant>().Where(p => p.CallId == callId);
        await participants.Where(p => p.State == CallPresence.Joined)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.State, CallPresence.Left).SetProperty(p => p.LeftAt, now), ct);
        var missed = await participants.Where(p => p.State == CallPresence.Ringing).Select(p => p.UserId).ToListAsync(ct);
        await participants.Where(p => p.State == CallPresence.Ringing)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.State, CallPresence.Missed), ct);
        var call = await db.Set<Call>().AsNoTracking().Where(c => c.Id == callId)
            .Select(c => new { c.RoomId, c.StartedById, c.Media, ProjectId = db.Set<ChatRoom>().Where(r => r.Id == c.RoomId).Select(r => r.ProjectId).Single() })
            .SingleAsync(ct);
        foreach (var userId in missed)
        {
            notifier.Add(userId, NotificationTypes.CallMissed, call.StartedById, now, $"Missed {call.Media} call",
                projectId: call.ProjectId, roomId: call.RoomId);
        }
        // The notifications commit with the end, or not at all.
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>After the end committed: the notifications, the system message that records the call, then <c>call_ended</c>.</summary>
    private async Task AnnounceEndAsync(CallDto call, CancellationToken ct)
    {
        await notifier.PublishAsync(ct);
        var content = call.AnsweredAt is null
            ? $"Missed {call.Media} call"
            : $"{(call.Media == CallMedia.Video ? "Video" : "Audio")} call ended ({FormatDuration(call.DurationMs ?? 0)})";
        var posted = await chat.PostSystemAsync(new SystemMessageInput(call.Room, call.StartedBy.Id, content,
            SystemMessages.WriteEvent("call_ended", new { CallId = call.Id, DurationMs = call.DurationMs ?? 0, call.Media, Missed = call.AnsweredAt is null })), ct);
        if (!posted.IsSuccess)
        {
            logger.LogInformation("No system message for call {CallId}: {Detail}", call.Id, posted.Error!.Detail);
        }
        await PublishAsync("call_ended", call, null, ct);
    }

    public static string FormatDuration(long ms)
    {
        var t = TimeSpan.FromMilliseconds(ms);
        return t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:00}");
    }

    private sealed record Visible(int RoomId, RoomType RoomType, DateTime? EndedAt);

    /// <summary>The call if the user is in its room now (and still in the room's project); else null, which answers 404.</summary>
    private async Task<Visible?> VisibleAsync(int userId, int callId, CancellationToken ct)
    {
        var call = await db.Set<Call>().AsNoTracking().Where(c => c.Id == callId)
            .Select(c => new { c.RoomId, c.EndedAt }).SingleOrDefaultAsync(ct);
        if (call is null || await db.RoomAccessAsync(call.RoomId, userId, ct) is not { } access)
        {
            return null;
        }
        return new Visible(call.RoomId, access.Type, call.EndedAt);
    }

    /// <summary>Whether both users are in the call now: signalling goes only between them.</summary>
    public async Task<bool> BothJoinedAsync(int callId, int a, int b, CancellationToken ct) =>
        a != b && await db.Set<CallParticipant>()
            .Where(p => p.CallId == callId && (p.UserId == a || p.UserId == b) && p.State == CallPresence.Joined)
            .Where(p => db.Set<Call>().Any(c => c.Id == callId && c.EndedAt == null))
            .CountAsync(ct) == 2;

    public async Task<CallDto?> ReadAsync(int callId, CancellationToken ct)
    {
        var call = await db.Set<Call>().AsNoTracking().Where(c => c.Id == callId)
            .Select(c => new
            {
                c.Id, c.RoomId, c.Media, c.State, c.StartedAt, c.AnsweredAt, c.EndedAt,
                StartedBy = db.Users.Where(u => u.Id == c.StartedById)
                    .Select(u => new UserRow(u.Id, u.Username, u.Email, u.FirstName, u.LastName, u.AvatarId)).Single(),
            })
            .SingleOrDefaultAsync(ct);
        if (call is null)
        {
            return null;
        }
        var people = await db.Set<CallParticipant>().AsNoTracking().Where(p => p.CallId == callId).OrderBy(p => p.Id)
            .Select(p => new
            {
                User = new UserRow(p.User.Id, p.User.Username, p.User.Email, p.User.FirstName, p.User.LastName, p.User.AvatarId),
                p.State, p.JoinedAt, p.LeftAt,
            })
            .ToListAsync(ct);
        long? duration = call.AnsweredAt is { } answered && call.EndedAt is { } ended ? (long)(ended - answered).TotalMilliseconds : null;
        return new CallDto(call.Id, call.RoomId, call.Media, call.StartedBy.ToDto(), call.State,
            people.Select(p => new CallParticipantDto(p.User.ToDto(), p.State, p.JoinedAt, p.LeftAt)).ToList(),
            call.StartedAt, call.AnsweredAt, call.EndedAt, duration);
    }

    private async Task PublishAsync(string type, CallDto call, int? userId, CancellationToken ct)
    {
        var members = await RoomMembersAsync(call.Room, CancellationToken.None);
        try
        {
            await userEvents.PublishAsync(new UserEvent(members, new CallEventFrame(type, call.Room, call, userId)), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Committed already: a client that missed the frame reads the call over REST.
            logger.LogWarning(e, "Could not publish {Type} for call {CallId}", type, call.Id);
        }
    }

    private Task<List<int>> RoomMembersAsync(int roomId, CancellationToken ct) =>
        db.Set<ChatParticipant>().Where(p => p.RoomId == roomId).Select(p => p.UserId).ToListAsync(ct);

    private DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % 10)); // PostgreSQL keeps microseconds: what is answered is what is stored.
    }

    private static ChatResult<CallDto> Ok(CallDto dto) => new(dto, null);

    private static ChatError Conflict(string detail) => new(ErrorCodes.Conflict, detail);
}
