using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Users;
using Switchboard.Infrastructure;

namespace Switchboard.Features.Notifications;

public static class NotificationsApi
{
    public static void MapNotifications(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization().ProducesProblem(401);
        group.MapGet("", List).WithName("notifications_list").WithSummary("The caller's notifications, newest first (?unread=true)")
            .ProducesValidationProblem().ProducesProblem(404);
        group.MapGet("/unread_count", UnreadCount).WithName("notifications_unread_count").WithSummary("How many are unread");
        group.MapPost("/mark_read", MarkRead).WithName("notifications_mark_read")
            .WithSummary("Mark notifications read: {ids: [...]} or {all: true}").ProducesValidationProblem();
    }

    public static async Task<Results<Ok<Page<NotificationDto>>, ValidationProblem, ProblemHttpResult>> List(
        [AsParameters] NotificationListQuery filter, [AsParameters] PageQuery paging, HttpContext http, AppDbContext db, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var unreadText = filter.Unread ?? "";
        if (unreadText.Length > 0 && !bool.TryParse(unreadText, out _))
        {
            return Problems.Validation("unread", "Must be true or false.");
        }
        if (!PageRequest.TryParse(paging, out var pageRequest, out var error))
        {
            return Problems.NotFound(error!);
        }
        var query = Notifier.VisibleTo(db, userId);
        if (unreadText.Length > 0 && bool.Parse(unreadText))
        {
            query = query.Where(n => n.ReadAt == null);
        }
        var page = await query.OrderByDescending(n => n.Id)
            .Select(n => new
            {
                Notification = n,
                Actor = n.Actor == null ? null : new UserRow(n.Actor.Id, n.Actor.Username, n.Actor.Email, n.Actor.FirstName, n.Actor.LastName, n.Actor.AvatarId),
            })
            .ToPageAsync(http.Request, pageRequest, rows => rows.Select(r => Notifier.ToDto(r.Notification, r.Actor?.ToDto())).ToList(), ct);
        return page is null ? Problems.NotFound("Invalid page.") : TypedResults.Ok(page);
    }

    public static async Task<Ok<UnreadCountDto>> UnreadCount(HttpContext http, AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(new UnreadCountDto(await Notifier.VisibleTo(db, http.User.GetUserId()).CountAsync(n => n.ReadAt == null, ct)));

    public static async Task<Results<Ok<MarkNotificationsReadDto>, ValidationProblem>> MarkRead(MarkNotificationsReadRequest body,
        HttpContext http, AppDbContext db, Notifier notifier, TimeProvider clock, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var now = clock.GetUtcNow().UtcDateTime;
        IReadOnlyList<long> marked;
        if (body.All == true)
        {
            marked = await notifier.MarkReadAsync(userId, n => true, now, ct);
        }
        else if (body.Ids is { } ids)
        {
            if (ids.Length > 1000)
            {
                return Problems.Validation("ids", "Mark at most 1000 at a time, or use all.");
            }
            // Someone else's ids are simply not the caller's unread notifications: nothing happens to them.
            marked = await notifier.MarkReadAsync(userId, n => ids.Contains(n.Id), now, ct);
        }
        else
        {
            return Problems.Validation("ids", "Give ids, or all: true.");
        }
        var unread = await Notifier.VisibleTo(db, userId).CountAsync(n => n.ReadAt == null, ct);
        return TypedResults.Ok(new MarkNotificationsReadDto(marked, unread));
    }
}

public sealed class NotificationListQuery
{
    [FromQuery(Name = "unread"), System.ComponentModel.Description("`true`: only unread notifications; `false`: only read ones.")]
    public string? Unread { get; init; }
}
