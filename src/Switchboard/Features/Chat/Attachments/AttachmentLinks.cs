using Switchboard.Infrastructure.Storage;

namespace Switchboard.Features.Chat.Attachments;

/// <summary>
/// Signed links to chat attachments. A link is issued to one user (<c>u</c>) and is honoured only
/// while that user is still a participant of the room, so leaving or being removed ends it at once,
/// and it expires after one to two hours in any case (docs/api/chat-messages.md, "Attachment links").
/// </summary>
public sealed class AttachmentLinks(SignedUrls signer)
{
    public const string BasePath = "/api/chat/attachments";

    public static string PathOf(string publicId, bool thumbnail) =>
        thumbnail ? $"{BasePath}/{publicId}/thumbnail" : $"{BasePath}/{publicId}";

    public string Link(string publicId, bool thumbnail, int userId)
    {
        var path = PathOf(publicId, thumbnail);
        var signed = signer.Sign(Material(path, userId));
        var query = signed[(signed.IndexOf('?', StringComparison.Ordinal) + 1)..];
        return $"{path}?u={userId}&{query}";
    }

    public bool Verify(string publicId, bool thumbnail, int userId, string? expires, string? sig) =>
        signer.Verify(Material(PathOf(publicId, thumbnail), userId), expires, sig);

    private static string Material(string path, int userId) => $"{path}#u={userId}";
}
