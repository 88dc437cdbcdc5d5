using SkiaSharp;
using Switchboard.Infrastructure.Storage;

namespace Switchboard.Features.Chat.Attachments;

/// <summary>Small previews of image attachments (WebP, at most 320 px on the longer side).</summary>
public sealed class Thumbnails(IFileStorage storage, ILogger<Thumbnails> logger)
{
    public const int MaxSide = 320;
    public const string ContentType = "image/webp";
    // Refuse to decode pixel bombs: a tiny file can claim a gigantic canvas.
    private const long MaxSourcePixels = 50_000_000;

    /// <returns>The thumbnail's storage key, or null when the image cannot be decoded.</returns>
    public async Task<string?> CreateAsync(string storageKey, CancellationToken ct)
    {
        byte[]? encoded;
        await using (var source = await storage.OpenReadAsync(storageKey, ct))
        {
            if (source is null)
            {
                return null;
            }
            using var buffer = new MemoryStream();
            await source.CopyToAsync(buffer, ct);
            buffer.Position = 0;
            encoded = Render(buffer);
        }
        if (encoded is null)
        {
            return null;
        }
        var stored = await storage.SaveAsync(new MemoryStream(encoded), encoded.Length, ct);
        return stored.StorageKey;
    }

    private byte[]? Render(Stream image)
    {
        try
        {
            using var codec = SKCodec.Create(image);
            if (codec is null || (long)codec.Info.Width * codec.Info.Height > MaxSourcePixels || codec.Info.Width == 0 || codec.Info.Height == 0)
            {
                return null;
            }
            using var bitmap = SKBitmap.Decode(codec);
            if (bitmap is null)
            {
                return null;
            }
            var scale = Math.Min(1.0, (double)MaxSide / Math.Max(bitmap.Width, bitmap.Height));
            var info = new SKImageInfo(Math.Max(1, (int)Math.Round(bitmap.Width * scale)), Math.Max(1, (int)Math.Round(bitmap.Height * scale)));
            using var resized = bitmap.Resize(info, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
            if (resized is null)
            {
                return null;
            }
            using var data = resized.Encode(SKEncodedImageFormat.Webp, 80);
            return data?.ToArray();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A broken or hostile image gets no preview; the attachment itself is still served.
            logger.LogWarning(e, "Could not make a thumbnail");
            return null;
        }
    }
}
