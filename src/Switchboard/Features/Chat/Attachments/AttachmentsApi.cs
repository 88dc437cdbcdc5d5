using Microsoft.AspNetCore.Mvc;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Chat.Messages;
using Switchboard.Features.Chat.Rooms;
using Switchboard.Infrastructure;
using Switchboard.Infrastructure.Storage;

namespace Switchboard.Features.Chat.Attachments;

public static class AttachmentsApi
{
    public static RouteGroupBuilder MapChatAttachments(this IEndpointRouteBuilder routes)
    {
        // Anonymous at the door: a signed link stands in for the bearer token, checked below.
        var group = routes.MapGroup(AttachmentLinks.BasePath).WithTags("Chat attachments").AllowAnonymous();
        group.MapGet("/{publicId}", Download).WithName("chat_attachments_get")
            .WithSummary("An attachment, for room participants (bearer token or signed link)")
            .ProducesProblem(401).ProducesProblem(404);
        group.MapGet("/{publicId}/thumbnail", Thumbnail).WithName("chat_attachments_thumbnail")
            .WithSummary("An image attachment's preview, for room participants (bearer token or signed link)")
            .ProducesProblem(401).ProducesProblem(404);
        return group;
    }

    public static Task<Results<FileStreamHttpResult, ProblemHttpResult>> Download(string publicId, [AsParameters] SignedLinkQuery link,
        HttpContext http, AppDbContext db, AttachmentLinks links, IFileStorage storage, CancellationToken ct) =>
        ServeAsync(publicId, thumbnail: false, link, http, db, links, storage, ct);

    public static Task<Results<FileStreamHttpResult, ProblemHttpResult>> Thumbnail(string publicId, [AsParameters] SignedLinkQuery link,
        HttpContext http, AppDbContext db, AttachmentLinks links, IFileStorage storage, CancellationToken ct) =>
        ServeAsync(publicId, thumbnail: true, link, http, db, links, storage, ct);

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> ServeAsync(string publicId, bool thumbnail, SignedLinkQuery link,
        HttpContext http, AppDbContext db, AttachmentLinks links, IFileStorage storage, CancellationToken ct)
    {
        const string notFound = "Attachment not found.";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        int userId;
        if (http.User.Identity?.IsAuthenticated == true)
        {
            userId = http.User.GetUserId();
        }
        else
        {
            if (link.Sig is null)
            {
                return Problems.Unauthorized("Authentication credentials were not provided.");
            }
            if (!int.TryParse(link.User, NumberStyles.None, CultureInfo.InvariantCulture, out userId) ||
                publicId.Length > 64 || !links.Verify(publicId, thumbnail, userId, link.Expires, link.Sig))
            {
                return Problems.NotFound(notFound);
            }
        }

        var message = await db.Set<ChatMessage>().AsNoTracking()
            .Where(m => m.AttachmentPublicId == publicId)
            .Select(m => new { m.RoomId, m.AttachmentKey, m.AttachmentName, m.AttachmentContentType, m.ThumbnailKey })
            .SingleOrDefaultAsync(ct);
        // Whoever the link was issued to must still be in the room.
        if (message is null || await db.RoomAccessAsync(message.RoomId, userId, ct) is null)
        {
            return Problems.NotFound(notFound);
        }
        var key = thumbnail ? message.ThumbnailKey : message.AttachmentKey;
        var stream = key is null ? null : await storage.OpenReadAsync(key, ct);
        if (stream is null)
        {
            return Problems.NotFound(notFound);
        }

        var contentType = thumbnail ? Thumbnails.ContentType : message.AttachmentContentType;
        var name = message.AttachmentName ?? "file";
        http.Response.Headers.CacheControl = "private, max-age=3600";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        if (contentType is not null && contentType.StartsWith("audio/", StringComparison.Ordinal))
        {
            // Voice recordings keep their checked audio type so that a player can stream and seek
            // them (ranges), but are never shown as a page: a download when opened directly.
            http.Response.Headers.ContentDisposition = MultipartUpload.ContentDisposition(name, inline: false);
            return TypedResults.Stream(stream, contentType, enableRangeProcessing: true);
        }
        if (contentType is not null)
        {
            // Only sniffed PNG/JPEG/GIF/WebP bytes are ever shown inline.
            http.Response.Headers.ContentDisposition = MultipartUpload.ContentDisposition(thumbnail ? "thumbnail.webp" : name, inline: true);
            return TypedResults.Stream(stream, contentType);
        }
        http.Response.Headers.ContentDisposition = MultipartUpload.ContentDisposition(name, inline: false);
        return TypedResults.Stream(stream, "application/octet-stream");
    }
}

// A signed link's query string (see AttachmentLinks); without `sig` the bearer token is needed.
public sealed class SignedLinkQuery
{
    [FromQuery(Name = "u"), System.ComponentModel.Description("Signed links only: the user the link was issued to.")]
    public string? User { get; init; }

    [FromQuery(Name = "expires"), System.ComponentModel.Description("Signed links only: when the link expires, in Unix seconds.")]
    public string? Expires { get; init; }

    [FromQuery(Name = "sig"), System.ComponentModel.Description("Signed links only: the signature. Without it, send the bearer token.")]
    public string? Sig { get; init; }
}
