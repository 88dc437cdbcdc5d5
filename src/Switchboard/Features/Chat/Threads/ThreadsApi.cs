using Microsoft.AspNetCore.Mvc;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat.Messages;
using Switchboard.Features.Chat.Receipts;
using Switchboard.Features.Chat.Rooms;
using Switchboard.Infrastructure;

namespace Switchboard.Features.Chat.Threads;

public sealed record FollowRequest(bool? Following);

public sealed record FollowDto(int RootId, bool IsFollowing);

public static class ThreadsApi
{
    public static void MapChatThreads(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/chat/threads").WithTags("Chat threads").RequireAuthorization().ProducesProblem(401);
        group.MapGet("", List).WithName("chat_threads_list")
            .WithSummary("Thread roots (?room=, ?filter=all|following|unread), latest reply first; without room across the caller's rooms")
            .ProducesValidationProblem().ProducesProblem(404);
        group.MapPost("/{rootId:int}/follow", Follow).WithName("chat_threads_follow")
            .WithSummary("Follow or unfollow a thread: {following: true|false}").ProducesValidationProblem().ProducesProblem(404);
        group.MapPost("/{rootId:int}/mark_read", MarkRead).WithName("chat_threads_mark_read")
            .WithSummary("Mark a thread's replies (and its notifications) read").ProducesProblem(404);
    }

    public static async Task<Results<Ok<Page<MessageDto>>, ValidationProblem, ProblemHttpResult>> List(
        [AsParameters] ThreadListQuery query, [AsParameters] PageQuery paging, HttpContext http, AppDbContext db, MessageMapper mapper,
        CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var filter = query.Filter is { Length: > 0 } f ? f : "all";
        if (filter is not ("all" or "following" or "unread"))
        {
            return Problems.Validation("filter", "Choose all, following or unread.");
        }
        var rooms = db.RoomIdsOf(userId);
        if (query.Room is { Length: > 0 } roomText)
        {
            if (!int.TryParse(roomText, NumberStyles.None, CultureInfo.InvariantCulture, out var roomId))
            {
                return Problems.Validation("room", "A valid integer is required.");
            }
            if (await db.RoomAccessAsync(roomId, userId, ct) is null)
            {
                return Problems.NotFound("Room not found.");
            }
            rooms = rooms.Where(r => r == roomId);
        }
        if (!PageRequest.TryParse(paging, out var pageRequest, out var error))
        {
            return Problems.NotFound(error!);
        }
        var follows = db.Set<ThreadFollow>().Where(x => x.UserId == userId);
        var roots = db.Set<ChatMessage>().Where(m => rooms.Contains(m.RoomId) && m.ThreadRootId == null && m.ReplyCount > 0);
        roots = filter switch
        {
            "following" => roots.Where(m => follows.Any(x => x.RootId == m.Id && x.IsFollowing)),
            "unread" => roots.Where(m => follows.Any(x => x.RootId == m.Id && x.IsFollowing && (x.LastReadAt == null || m.LastReplyAt > x.LastReadAt))),
            _ => roots,
        };
        var ordered = roots.OrderByDescending(m => m.LastReplyAt).ThenByDescending(m => m.Id);
        var page = await ordered.Select(m => m.Id).ToPageAsync(http.Request, pageRequest, ids => ids, ct);
        if (page is null)
        {
            return Problems.NotFound("Invalid page.");
        }
        var pageIds = page.Results.ToList();
        var rows = (await MessageMapper.ToRows(db.Set<ChatMessage>().Where(m => pageIds.Contains(m.Id))).ToListAsync(ct))
            .OrderBy(r => pageIds.IndexOf(r.Id)).ToList();
        var dtos = await mapper.ToDtosAsync(db, rows, userId, ct);
        return TypedResults.Ok(new Page<MessageDto>(page.Count, page.Next, page.Previous, dtos));
    }

    public static async Task<Results<Ok<FollowDto>, ValidationProblem, ProblemHttpResult>> Follow(int rootId, FollowRequest body, HttpContext http,
        AppDbContext db, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var root = await db.Set<ChatMessage>().Where(m => m.Id == rootId).Select(m => new { m.RoomId, m.ThreadRootId }).SingleOrDefaultAsync(ct);
        if (root is null || await db.RoomAccessAsync(root.RoomId, userId, ct) is null)
        {
            return Problems.NotFound("Thread not found.");
        }
        if (root.ThreadRootId is not null)
        {
            return Problems.Validation("root_id", "This message is a reply; follow its thread's root.");
        }
        if (body.Following is not { } following)
        {
            return Problems.Validation("following", "This field is required.");
        }
        if (following)
        {
            await ThreadSummary.FollowAsync(db, rootId, root.RoomId, userId, null, onlyIfNew: false, ct);
        }
        else
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO chat_thread_follows ("RootId", "UserId", "RoomId", "IsFollowing", "LastReadAt")
                VALUES ({rootId}, {userId}, {root.RoomId}, {false}, {(DateTime?)null})
                ON CONFLICT ("RootId", "UserId") DO UPDATE SET "IsFollowing" = {false}
                """, ct);
        }
        return TypedResults.Ok(new FollowDto(rootId, following));
    }

    public static async Task<Results<Ok<ThreadMarkReadDto>, ProblemHttpResult>> MarkRead(int rootId, HttpContext http, ReadMarks marks,
        CancellationToken ct)
    {
        var result = await marks.MarkThreadReadAsync(http.User.GetUserId(), rootId, ct);
        return result.Value is { } value ? TypedResults.Ok(value) : Problems.NotFound(result.Error!.Detail);
    }
}

public sealed class ThreadListQuery
{
    [FromQuery(Name = "room"), System.ComponentModel.Description("Only threads of this room (an id); without it, across the caller's rooms.")]
    public string? Room { get; init; }

    [FromQuery(Name = "filter"), System.ComponentModel.Description("`all` (the default), `following`, or `unread` (followed threads with replies not read yet).")]
    public string? Filter { get; init; }
}
