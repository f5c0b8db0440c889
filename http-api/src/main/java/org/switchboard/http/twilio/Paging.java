package org.switchboard.http.twilio;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.switchboard.http.api.Page;

/**
 * Twilio's paging: {@code Page} (0-based) and {@code PageSize} (default 50, at most 1000) in, the
 * list envelope out ({@code first_page_uri}, {@code next_page_uri}, {@code previous_page_uri},
 * {@code uri}, {@code page}, {@code page_size}, {@code start}, {@code end} and the items under the
 * resource's key). Filters are kept in every page URI.
 */
public record Paging(int page, int pageSize) {
  /** Default page size, as Twilio. */
  public static final int DEFAULT_SIZE = 50;
  /** Largest page size, as Twilio. */
  public static final int MAX_SIZE = 1000;

  /** Reads {@code Page}/{@code PageSize} (lower-case {@code page}/{@code page_size} too). */
  public static Paging of(TwilioForm params) {
    int size = number(params.first("PageSize").or(() -> params.first("page_size")),
        DEFAULT_SIZE, "PageSize");
    int page = number(params.first("Page").or(() -> params.first("page")), 0, "Page");
    if (size < 1 || size > MAX_SIZE) {
      throw TwilioError.bad(TwilioError.BAD_REQUEST, "PageSize must be between 1 and " + MAX_SIZE);
    }
    if (page < 0 || (long) page * size > Integer.MAX_VALUE) {
      throw TwilioError.bad(TwilioError.BAD_REQUEST, "Page must be a non-negative number");
    }
    return new Paging(page, size);
  }

  private static int number(Optional<String> value, int fallback, String name) {
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.get());
    } catch (NumberFormatException e) {
      throw TwilioError.bad(TwilioError.BAD_REQUEST, name + " must be a number");
    }
  }

  /** Index of the first item of this page. */
  public int offset() {
    return page * pageSize;
  }

  /**
   * The list envelope.
   *
   * @param path the collection's path, e.g. {@code /2010-04-01/Accounts/AC…/Calls.json}
   * @param filters the filters to repeat in every page URI, in order
   * @param key the items' key, e.g. {@code calls}
   */
  public Map<String, Object> envelope(String path, Map<String, String> filters, String key,
      Page<?> result, List<?> items) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(key, items);
    json.put("page", page);
    json.put("page_size", pageSize);
    json.put("start", offset());
    json.put("end", items.isEmpty() ? offset() : offset() + items.size() - 1);
    json.put("uri", uri(path, filters, page));
    json.put("first_page_uri", uri(path, filters, 0));
    json.put("next_page_uri", result.hasMore() ? uri(path, filters, page + 1) : null);
    json.put("previous_page_uri", page > 0 ? uri(path, filters, page - 1) : null);
    return json;
  }

  private String uri(String path, Map<String, String> filters, int pageNumber) {
    StringBuilder uri = new StringBuilder(path).append('?');
    filters.forEach((name, value) -> uri.append(encode(name)).append('=')
        .append(encode(value)).append('&'));
    return uri.append("PageSize=").append(pageSize).append("&Page=").append(pageNumber).toString();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
