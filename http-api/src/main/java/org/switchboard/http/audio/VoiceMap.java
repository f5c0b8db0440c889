package org.switchboard.http.audio;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps TwiML {@code <Say>} {@code language} and {@code voice} to an espeak-ng voice.
 *
 * <p>Language: the exact tag (lowercased) from {@link #LANGUAGES}; else its primary subtag from
 * the same table (the language family: {@code fr-CA} → {@code fr-fr}); else {@code en-us}.
 * Voice: {@code man} and male Polly/Google names keep espeak's default (male) variant;
 * {@code woman}, {@code alice} and female Polly/Google names get the {@code +f3} variant. A
 * {@code Google.<locale>-…} voice, or a known Polly name, supplies the language when the
 * {@code language} attribute is absent. The table is documented in http-api/AUDIO.md.
 */
public final class VoiceMap {

  /** Default language when none is given. */
  public static final String DEFAULT_LANGUAGE = "en-US";

  /** Espeak voice used when no language matches. */
  public static final String FALLBACK_VOICE = "en-us";

  static final Map<String, String> LANGUAGES = Map.ofEntries(
      Map.entry("en-us", "en-us"), Map.entry("en-gb", "en-gb"), Map.entry("en-au", "en-gb"),
      Map.entry("en-nz", "en-gb"), Map.entry("en-ie", "en-gb"), Map.entry("en-in", "en-gb"),
      Map.entry("en-gb-wls", "en-gb"), Map.entry("en", "en-us"),
      Map.entry("es-es", "es"), Map.entry("es-mx", "es-419"), Map.entry("es-us", "es-419"),
      Map.entry("es", "es"),
      Map.entry("fr-fr", "fr-fr"), Map.entry("fr-be", "fr-be"), Map.entry("fr-ch", "fr-ch"),
      Map.entry("fr", "fr-fr"),
      Map.entry("de-de", "de"), Map.entry("de", "de"),
      Map.entry("pt-br", "pt-br"), Map.entry("pt-pt", "pt"), Map.entry("pt", "pt-br"),
      Map.entry("it-it", "it"), Map.entry("it", "it"),
      Map.entry("zh-cn", "cmn"), Map.entry("cmn-cn", "cmn"), Map.entry("zh-tw", "cmn"),
      Map.entry("zh", "cmn"), Map.entry("cmn", "cmn"),
      Map.entry("zh-hk", "yue"), Map.entry("yue-hk", "yue"), Map.entry("yue", "yue"),
      Map.entry("ar", "ar"), Map.entry("arb", "ar"),
      Map.entry("hi-in", "hi"), Map.entry("hi", "hi"),
      Map.entry("ru-ru", "ru"), Map.entry("ru", "ru"),
      Map.entry("vi-vn", "vi"), Map.entry("vi", "vi"),
      Map.entry("ko-kr", "ko"), Map.entry("ko", "ko"),
      Map.entry("ja-jp", "ja"), Map.entry("ja", "ja"),
      Map.entry("ht", "ht"), Map.entry("ht-ht", "ht"),
      Map.entry("nl-nl", "nl"), Map.entry("nl", "nl"), Map.entry("pl", "pl"),
      Map.entry("sv", "sv"), Map.entry("da", "da"), Map.entry("nb", "nb"), Map.entry("no", "nb"),
      Map.entry("fi", "fi"), Map.entry("tr", "tr"), Map.entry("ca", "ca"), Map.entry("he", "he"),
      Map.entry("id", "id"), Map.entry("uk", "uk"), Map.entry("el", "el"), Map.entry("cs", "cs"),
      Map.entry("ro", "ro"), Map.entry("hu", "hu"), Map.entry("bn", "bn"), Map.entry("ta", "ta"),
      Map.entry("te", "te"), Map.entry("ur", "ur"), Map.entry("fa", "fa"), Map.entry("sw", "sw"),
      Map.entry("ms", "ms"), Map.entry("th", "th"), Map.entry("is", "is"), Map.entry("cy", "cy"));

  private static final Set<String> MALE_POLLY = Set.of(
      "matthew", "joey", "justin", "kevin", "stephen", "brian", "arthur", "russell", "geraint",
      "mathieu", "remi", "liam", "hans", "daniel", "enrique", "sergio", "miguel", "andres",
      "pedro", "ricardo", "cristiano", "thiago", "giorgio", "adriano", "maxim", "takumi",
      "gregory", "aiden", "hannes", "lennart", "mads", "jacek", "jan", "ruben", "filiz", "karl",
      "zhiwei", "hyunsoo");

  private static final Map<String, String> POLLY_LANGUAGE = Map.ofEntries(
      Map.entry("joanna", "en-US"), Map.entry("matthew", "en-US"), Map.entry("amy", "en-GB"),
      Map.entry("brian", "en-GB"), Map.entry("lucia", "es-ES"), Map.entry("enrique", "es-ES"),
      Map.entry("mia", "es-MX"), Map.entry("andres", "es-MX"), Map.entry("lupe", "es-US"),
      Map.entry("celine", "fr-FR"), Map.entry("lea", "fr-FR"), Map.entry("mathieu", "fr-FR"),
      Map.entry("remi", "fr-FR"), Map.entry("marlene", "de-DE"), Map.entry("vicki", "de-DE"),
      Map.entry("hans", "de-DE"), Map.entry("daniel", "de-DE"), Map.entry("camila", "pt-BR"),
      Map.entry("vitoria", "pt-BR"), Map.entry("ricardo", "pt-BR"), Map.entry("thiago", "pt-BR"),
      Map.entry("carla", "it-IT"), Map.entry("bianca", "it-IT"), Map.entry("giorgio", "it-IT"),
      Map.entry("adriano", "it-IT"), Map.entry("zhiyu", "zh-CN"), Map.entry("zeina", "ar"),
      Map.entry("hala", "ar"), Map.entry("aditi", "hi-IN"), Map.entry("kajal", "hi-IN"),
      Map.entry("tatyana", "ru-RU"), Map.entry("maxim", "ru-RU"), Map.entry("seoyeon", "ko-KR"),
      Map.entry("mizuki", "ja-JP"), Map.entry("takumi", "ja-JP"));

  /** Google voice letters that are male voices in en-US (used for every locale: a guess). */
  private static final Set<String> MALE_GOOGLE_LETTERS = Set.of("A", "B", "D", "I", "J");

  private VoiceMap() {}

  /**
   * The espeak voice for a TwiML voice / language pair.
   *
   * @param voice the TwiML {@code voice} attribute, may be null or empty
   * @param language the TwiML {@code language} attribute, may be null or empty
   */
  public static EspeakVoice resolve(String voice, String language) {
    String v = voice == null ? "" : voice.trim();
    String lang = language == null || language.isBlank() ? languageOfVoice(v) : language.trim();
    return new EspeakVoice(espeakLanguage(lang), isFemale(v));
  }

  /** The espeak voice name for a language tag, with the documented fallback. */
  public static String espeakLanguage(String language) {
    String tag = language.toLowerCase(Locale.ROOT).replace('_', '-');
    String exact = LANGUAGES.get(tag);
    if (exact != null) {
      return exact;
    }
    int dash = tag.indexOf('-');
    String family = LANGUAGES.get(dash > 0 ? tag.substring(0, dash) : tag);
    return family != null ? family : FALLBACK_VOICE;
  }

  private static String languageOfVoice(String voice) {
    if (voice.startsWith("Google.")) {
      String[] parts = voice.substring("Google.".length()).split("-");
      if (parts.length >= 2) {
        return parts[0] + "-" + parts[1];
      }
    }
    if (voice.startsWith("Polly.")) {
      return POLLY_LANGUAGE.getOrDefault(pollyName(voice), DEFAULT_LANGUAGE);
    }
    return DEFAULT_LANGUAGE;
  }

  private static boolean isFemale(String voice) {
    String v = voice.toLowerCase(Locale.ROOT);
    if (v.isEmpty() || v.equals("man")) {
      return false;
    }
    if (v.equals("woman") || v.equals("alice")) {
      return true;
    }
    if (v.startsWith("polly.")) {
      return !MALE_POLLY.contains(pollyName(voice));
    }
    if (v.startsWith("google.")) {
      String letter = voice.substring(voice.lastIndexOf('-') + 1);
      return !MALE_GOOGLE_LETTERS.contains(letter);
    }
    return false;
  }

  private static String pollyName(String voice) {
    String name = voice.substring("Polly.".length()).toLowerCase(Locale.ROOT);
    int dash = name.indexOf('-');
    return dash > 0 ? name.substring(0, dash) : name;
  }

  /**
   * An espeak-ng voice.
   *
   * @param language espeak language voice, e.g. {@code fr-fr}
   * @param female whether to use the female variant
   */
  public record EspeakVoice(String language, boolean female) {

    /** The {@code -v} argument: {@code fr-fr} or {@code fr-fr+f3}. */
    public String argument() {
      return female ? language + "+f3" : language;
    }
  }
}
