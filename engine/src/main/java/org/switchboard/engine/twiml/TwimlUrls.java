package org.switchboard.engine.twiml;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Resolution of TwiML URL attributes against the document URL, per RFC 3986 §5.2 ({@link
 * URI#resolve} follows RFC 2396 and gets {@code ?q} and empty references wrong). Characters that
 * are not legal in a URI (spaces, non-ASCII, {@code |}…) are percent-encoded first, as a browser
 * would; existing {@code %XX} escapes are kept.
 */
public final class TwimlUrls {

  private static final String HEX = "0123456789ABCDEF";

  private TwimlUrls() {}

  /**
   * Resolves {@code reference} against the absolute {@code base}. An empty reference yields the
   * base without its fragment.
   *
   * @throws IllegalArgumentException when the reference cannot be parsed, or the result is not
   *     absolute or has an invalid host (e.g. one containing {@code _})
   */
  public static URI resolve(URI base, String reference) {
    URI ref;
    try {
      ref = new URI(encodeIllegal(reference.trim()));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("invalid URL '" + reference + "': " + e.getReason(), e);
    }
    URI result = ref.isOpaque() ? ref : merge(base, ref);
    return checkAbsolute(result, reference);
  }

  private static URI merge(URI base, URI ref) {
    String scheme;
    String authority;
    String path;
    String query;
    if (ref.getScheme() != null) {
      scheme = ref.getScheme();
      authority = ref.getRawAuthority();
      path = removeDotSegments(nullToEmpty(ref.getRawPath()));
      query = ref.getRawQuery();
    } else {
      scheme = base.getScheme();
      if (ref.getRawAuthority() != null) {
        authority = ref.getRawAuthority();
        path = removeDotSegments(nullToEmpty(ref.getRawPath()));
        query = ref.getRawQuery();
      } else {
        authority = base.getRawAuthority();
        String refPath = nullToEmpty(ref.getRawPath());
        if (refPath.isEmpty()) {
          path = nullToEmpty(base.getRawPath());
          query = ref.getRawQuery() != null ? ref.getRawQuery() : base.getRawQuery();
        } else {
          path = refPath.startsWith("/")
              ? removeDotSegments(refPath)
              : removeDotSegments(mergePaths(base, refPath));
          query = ref.getRawQuery();
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(scheme).append(':');
    if (authority != null) {
      sb.append("//").append(authority);
    }
    sb.append(path);
    if (query != null) {
      sb.append('?').append(query);
    }
    if (ref.getRawFragment() != null) {
      sb.append('#').append(ref.getRawFragment());
    }
    try {
      return new URI(sb.toString());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot resolve '" + ref + "': " + e.getReason(), e);
    }
  }

  private static String mergePaths(URI base, String refPath) {
    String basePath = nullToEmpty(base.getRawPath());
    if (base.getRawAuthority() != null && basePath.isEmpty()) {
      return "/" + refPath;
    }
    return basePath.substring(0, basePath.lastIndexOf('/') + 1) + refPath;
  }

  /** RFC 3986 §5.2.4. */
  static String removeDotSegments(String path) {
    StringBuilder in = new StringBuilder(path);
    StringBuilder out = new StringBuilder();
    while (in.length() > 0) {
      String s = in.toString();
      if (s.startsWith("../")) {
        in.delete(0, 3);
      } else if (s.startsWith("./")) {
        in.delete(0, 2);
      } else if (s.startsWith("/./")) {
        in.delete(0, 2);
      } else if (s.equals("/.")) {
        in.replace(0, 2, "/");
      } else if (s.startsWith("/../")) {
        in.delete(0, 3);
        dropLastSegment(out);
      } else if (s.equals("/..")) {
        in.replace(0, 3, "/");
        dropLastSegment(out);
      } else if (s.equals(".") || s.equals("..")) {
        in.setLength(0);
      } else {
        int next = s.indexOf('/', s.startsWith("/") ? 1 : 0);
        int end = next < 0 ? s.length() : next;
        out.append(s, 0, end);
        in.delete(0, end);
      }
    }
    return out.toString();
  }

  private static void dropLastSegment(StringBuilder out) {
    int slash = out.lastIndexOf("/");
    out.setLength(Math.max(slash, 0));
  }

  private static URI checkAbsolute(URI uri, String reference) {
    if (uri.getScheme() == null) {
      throw new IllegalArgumentException("URL '" + reference + "' does not resolve to an absolute URL");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    boolean hierarchical = scheme.equals("http") || scheme.equals("https")
        || scheme.equals("ws") || scheme.equals("wss");
    if (hierarchical && (uri.getHost() == null || uri.getHost().isEmpty())) {
      throw new IllegalArgumentException(
          "URL '" + uri + "' has no valid host name (letters, digits, '-' and '.' only)");
    }
    return uri;
  }

  /** Percent-encodes every character that may not appear in a URI reference, as UTF-8. */
  static String encodeIllegal(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xFF;
      boolean escape = b == '%'
          ? !(i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2]))
          : !isUriChar(b);
      if (escape) {
        sb.append('%').append(HEX.charAt(b >> 4)).append(HEX.charAt(b & 0xF));
      } else {
        sb.append((char) b);
      }
    }
    return sb.toString();
  }

  private static boolean isUriChar(int b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
        || "-._~:/?#[]@!$&'()*+,;=".indexOf(b) >= 0;
  }

  private static boolean isHex(byte b) {
    return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
