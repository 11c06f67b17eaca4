package org.broadsheet.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.queries.mlt.MoreLikeThis;
import org.apache.lucene.queryparser.simple.SimpleQueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;

/**
 * The Lucene index of published articles: full-text search (headline boosted over deck over body,
 * stemming and folding per site language, phrases in quotes, no query syntax errors ever) and "More
 * Articles" candidates ranked by text similarity, shared named people, places and organisations,
 * shared tags and closeness in time. Thread-safe.
 */
public final class SearchIndex implements AutoCloseable {

  static final String ID = "id";
  static final String HEADLINE = "headline";
  static final String DECK = "deck";
  static final String BODY = "body";
  static final String TAG = "tag";
  static final String TAGS_TEXT = "tags";
  static final String ENTITY = "entity";
  static final String SECTION = "section";
  static final String AUTHOR = "author";
  static final String PUBLISHED = "published";
  static final String SPELL = "spell";
  static final String TITLE_WORDS = "titleWords";
  static final String CHANGE_ID = "broadsheet.changeId";

  /** Bumped when documents gain fields: an index in an older format is rebuilt at start. */
  static final String FORMAT = "broadsheet.format";

  static final String CURRENT_FORMAT = "4";

  /** The article id as doc values: hits are mapped to ids without loading stored documents. */
  static final String ID_VALUE = "idValue";

  /** Stored text whose postings keep offsets, so snippets need no re-analysis. */
  private static final org.apache.lucene.document.FieldType TEXT_WITH_OFFSETS;

  static {
    var type = new org.apache.lucene.document.FieldType(TextField.TYPE_STORED);
    type.setIndexOptions(
        org.apache.lucene.index.IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS);
    type.freeze();
    TEXT_WITH_OFFSETS = type;
  }

  /** The language the index was analysed for: another language means a rebuild. */
  static final String LANGUAGE = "broadsheet.language";

  private static final Pattern NAME =
      Pattern.compile("(?<![.!?]\\s)(?<!^)\\b\\p{Lu}[\\p{L}'’-]+(?:\\s+\\p{Lu}[\\p{L}'’-]+)*");

  /**
   * One candidate for "More Articles", with its final score; {@code sameStory} when it is close
   * enough and names the same people, places or organisations to belong to the same news story.
   */
  public record Related(long id, double score, boolean sameStory) {

    public Related(long id, double score) {
      this(id, score, false);
    }
  }

  private record Scored(long id, double score, int sharedNames) {}

  /** The open index files: swapped whole when a rebuilt index takes over. */
  private record Store(Directory directory, IndexWriter writer, SearcherManager searchers) {}

  private final Analyzer analyzer;
  private final Analyzer words;
  private final String language;
  private volatile Store store;

  public SearchIndex(Directory directory, Locale language) {
    this.language = language.getLanguage();
    Analyzer words =
        new Analyzer() {
          @Override
          protected TokenStreamComponents createComponents(String fieldName) {
            var source = new org.apache.lucene.analysis.standard.StandardTokenizer();
            return new TokenStreamComponents(
                source,
                new org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter(
                    new org.apache.lucene.analysis.LowerCaseFilter(source)));
          }
        };
    this.analyzer =
        new org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper(
            SiteAnalyzer.forLanguage(language), Map.of(SPELL, words, TITLE_WORDS, words));
    this.words = words;
    this.store = open(directory, analyzer);
  }

  private static Store open(Directory directory, Analyzer analyzer) {
    try {
      IndexWriterConfig config = new IndexWriterConfig(analyzer);
      config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
      config.setRAMBufferSizeMB(64);
      IndexWriter writer = new IndexWriter(directory, config);
      return new Store(directory, writer, new SearcherManager(writer, null));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the search index", e);
    }
  }

  /**
   * Takes over a rebuilt index: searches move to it at once, searches already running finish on the
   * old one, which is then closed. {@code rebuilt} must not be used afterwards.
   */
  public void adopt(SearchIndex rebuilt) {
    Store old = store;
    store = rebuilt.store;
    rebuilt.store = null;
    close(old);
  }

  private static void close(Store s) {
    try {
      s.searchers().close();
      s.writer().close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Named people, places and organisations: runs of capitalised words not opening a sentence. */
  static Set<String> entities(String text) {
    Set<String> found = new LinkedHashSet<>();
    Matcher m = NAME.matcher(text);
    while (m.find()) {
      String name = m.group().strip();
      if (name.length() > 2) {
        found.add(name.toLowerCase(Locale.ROOT));
      }
    }
    return found;
  }

  private Document document(IndexedArticle a) {
    Document doc = new Document();
    doc.add(new StringField(ID, Long.toString(a.id()), Field.Store.YES));
    doc.add(new NumericDocValuesField(ID_VALUE, a.id()));
    doc.add(new TextField(HEADLINE, a.headline(), Field.Store.YES));
    doc.add(new TextField(DECK, a.deck(), Field.Store.YES));
    doc.add(new Field(BODY, a.body(), TEXT_WITH_OFFSETS));
    doc.add(new StringField(SECTION, a.section(), Field.Store.YES));
    for (String author : a.authors()) {
      doc.add(new StringField(AUTHOR, author, Field.Store.YES));
    }
    for (String tag : a.tags()) {
      doc.add(new StringField(TAG, tag.toLowerCase(Locale.ROOT), Field.Store.YES));
      doc.add(new TextField(TAGS_TEXT, tag, Field.Store.NO));
    }
    doc.add(new TextField(SPELL, a.headline() + "\n" + a.body(), Field.Store.NO));
    doc.add(new TextField(TITLE_WORDS, a.headline(), Field.Store.NO));
    for (String entity : entities(a.headline() + "\n" + a.deck() + "\n" + a.body())) {
      doc.add(new StringField(ENTITY, entity, Field.Store.YES));
      doc.add(
          new org.apache.lucene.document.SortedSetDocValuesField(
              ENTITY, new org.apache.lucene.util.BytesRef(entity)));
    }
    long published = a.publishedAt().toEpochMilli();
    doc.add(new LongPoint(PUBLISHED, published));
    doc.add(new NumericDocValuesField(PUBLISHED, published));
    doc.add(new StoredField(PUBLISHED, published));
    return doc;
  }

  /** Adds or replaces an article. Visible to searches after {@link #commit}. */
  public void put(IndexedArticle article) {
    try {
      store.writer().updateDocument(new Term(ID, Long.toString(article.id())), document(article));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void remove(long articleId) {
    try {
      store.writer().deleteDocuments(new Term(ID, Long.toString(articleId)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes changes durable and visible, recording the last change-feed id applied. */
  public void commit(long changeId) {
    try {
      Store s = store;
      s.writer()
          .setLiveCommitData(
              Map.of(CHANGE_ID, Long.toString(changeId), FORMAT, CURRENT_FORMAT, LANGUAGE, language)
                  .entrySet());
      s.writer().commit();
      s.searchers().maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The last change-feed id the committed index reflects, or -1 for a new index, one in an older
   * format or one analysed for another language (all need rebuilding).
   */
  public long appliedChangeId() {
    try {
      Store s = store;
      if (!DirectoryReader.indexExists(s.directory())) {
        return -1;
      }
      Map<String, String> data = new java.util.HashMap<>();
      s.writer().getLiveCommitData().forEach(e -> data.put(e.getKey(), e.getValue()));
      if (!CURRENT_FORMAT.equals(data.get(FORMAT))
          || !language.equals(data.get(LANGUAGE))
          || !data.containsKey(CHANGE_ID)) {
        return -1;
      }
      return Long.parseLong(data.get(CHANGE_ID));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void clear() {
    try {
      store.writer().deleteAll();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The user's words as a query: never a syntax error; quotes make phrases; all words wanted. */
  Query parse(String text) {
    return parse(text, BooleanClause.Occur.MUST);
  }

  /** As {@link #parse(String)}, with any word enough (when no article has them all). */
  Query parseAny(String text) {
    return parse(text, BooleanClause.Occur.SHOULD);
  }

  private Query parse(String text, BooleanClause.Occur operator) {
    Map<String, Float> weights = new LinkedHashMap<>();
    weights.put(HEADLINE, 3f);
    weights.put(DECK, 2f);
    weights.put(BODY, 1f);
    weights.put(TAGS_TEXT, 1.5f);
    SimpleQueryParser parser =
        new SimpleQueryParser(
            analyzer,
            weights,
            SimpleQueryParser.PHRASE_OPERATOR | SimpleQueryParser.WHITESPACE_OPERATOR);
    parser.setDefaultOperator(operator);
    return parser.parse(text);
  }

  /** One search hit: the article and a snippet of its text with the matching words marked. */
  public record Hit(long id, String snippetHtml) {}

  /**
   * A page of results, how many there are in all, and a spelling suggestion when nothing matched.
   */
  public record Results(List<Hit> hits, long total, String suggestion, boolean corrected) {

    public Results(List<Hit> hits, long total, String suggestion) {
      this(hits, total, suggestion, false);
    }
  }

  /**
   * Searches with optional section filter, by relevance (newer first among equals) or newest first;
   * the snippets are HTML with everything escaped except the {@code <mark>} tags.
   */
  public Results search(String text, String section, boolean newestFirst, int offset, int limit) {
    return search(text, new Filters(section, "", null, null), newestFirst, offset, limit);
  }

  /**
   * Narrows results: a section and an author slug (empty for any), a time range (null for open).
   */
  public record Filters(String section, String author, Instant from, Instant until) {}

  public Results search(String typed, Filters filters, boolean newestFirst, int offset, int limit) {
    String text = firstWords(typed);
    Results all = search(parse(text), text, filters, newestFirst, offset, limit);
    if (all.total() > 0) {
      return all;
    }
    Results any = search(parseAny(text), text, filters, newestFirst, offset, limit);
    if (any.total() > 0 || any.suggestion().isEmpty()) {
      return any;
    }
    // Typo tolerance: nothing has these words, so show what the corrected words find.
    String corrected = any.suggestion();
    Results fixed = search(parse(corrected), corrected, filters, newestFirst, offset, limit);
    if (fixed.total() == 0) {
      fixed = search(parseAny(corrected), corrected, filters, newestFirst, offset, limit);
    }
    return fixed.total() > 0 ? new Results(fixed.hits(), fixed.total(), corrected, true) : any;
  }

  private Results search(
      Query words, String text, Filters filters, boolean newestFirst, int offset, int limit) {
    BooleanQuery.Builder builder = new BooleanQuery.Builder().add(words, BooleanClause.Occur.MUST);
    if (filters.section() != null && !filters.section().isEmpty()) {
      builder.add(new TermQuery(new Term(SECTION, filters.section())), BooleanClause.Occur.FILTER);
    }
    if (filters.author() != null && !filters.author().isEmpty()) {
      builder.add(new TermQuery(new Term(AUTHOR, filters.author())), BooleanClause.Occur.FILTER);
    }
    if (filters.from() != null || filters.until() != null) {
      long from = filters.from() == null ? Long.MIN_VALUE : filters.from().toEpochMilli();
      long until = filters.until() == null ? Long.MAX_VALUE : filters.until().toEpochMilli();
      builder.add(LongPoint.newRangeQuery(PUBLISHED, from, until), BooleanClause.Occur.FILTER);
    }
    Query query = builder.build();
    org.apache.lucene.search.Sort sort =
        newestFirst
            ? new org.apache.lucene.search.Sort(
                new org.apache.lucene.search.SortField(
                    PUBLISHED, org.apache.lucene.search.SortField.Type.LONG, true))
            : new org.apache.lucene.search.Sort(
                org.apache.lucene.search.SortField.FIELD_SCORE,
                new org.apache.lucene.search.SortField(
                    PUBLISHED, org.apache.lucene.search.SortField.Type.LONG, true));
    return withSearcher(
        searcher -> {
          TopDocs top = searcher.search(query, Math.max(1, offset + limit), sort, true);
          ScoreDoc[] page =
              java.util.Arrays.copyOfRange(
                  top.scoreDocs, Math.min(offset, top.scoreDocs.length), top.scoreDocs.length);
          TopDocs pageDocs = new TopDocs(top.totalHits, page);
          String[] snippets =
              org.apache.lucene.search.uhighlight.UnifiedHighlighter.builder(searcher, analyzer)
                  .withFormatter(
                      new org.apache.lucene.search.uhighlight.DefaultPassageFormatter(
                          "<mark>", "</mark>", "… ", true))
                  .build()
                  .highlight(BODY, query, pageDocs, 2);
          List<Hit> hits = new ArrayList<>();
          for (int i = 0; i < page.length; i++) {
            long id = longValue(searcher, page[i].doc, ID_VALUE);
            hits.add(new Hit(id, snippets[i] == null ? "" : snippets[i]));
          }
          long total = top.totalHits.value();
          return new Results(hits, total, total == 0 ? suggest(searcher, text) : "");
        });
  }

  /** How many words of a query count: enough for any real question, far below Lucene's limit. */
  public static final int MAX_QUERY_WORDS = 32;

  /**
   * The query up to its {@value #MAX_QUERY_WORDS}th word as the index splits words (so a run of
   * "a.b.c…" counts as many): a pasted paragraph searches on its start instead of failing.
   */
  String firstWords(String typed) {
    if (typed == null) {
      return "";
    }
    String text = typed.length() > 2_000 ? typed.substring(0, 2_000) : typed;
    try (var stream = analyzer.tokenStream(BODY, text)) {
      var offset =
          stream.addAttribute(org.apache.lucene.analysis.tokenattributes.OffsetAttribute.class);
      stream.reset();
      int count = 0;
      int end = text.length();
      while (stream.incrementToken()) {
        if (++count == MAX_QUERY_WORDS) {
          end = offset.endOffset();
          break;
        }
      }
      return text.substring(0, Math.min(end, text.length()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** "Did you mean": each unknown word replaced by the closest word in the articles, if any. */
  private String suggest(IndexSearcher searcher, String text) throws IOException {
    org.apache.lucene.search.spell.DirectSpellChecker checker =
        new org.apache.lucene.search.spell.DirectSpellChecker();
    StringBuilder suggestion = new StringBuilder();
    boolean changed = false;
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (word.isEmpty()) {
        continue;
      }
      String replacement = word;
      if (word.length() > 2 && searcher.getIndexReader().docFreq(new Term(SPELL, word)) == 0) {
        var similar = checker.suggestSimilar(new Term(SPELL, word), 1, searcher.getIndexReader());
        if (similar.length > 0) {
          replacement = similar[0].string;
          changed = true;
        }
      }
      suggestion.append(suggestion.isEmpty() ? "" : " ").append(replacement);
    }
    return changed ? suggestion.toString() : "";
  }

  /** A headline offered while the reader types. */
  public record Suggestion(long id, String headline) {}

  /**
   * Headlines for the search box: every whole word typed must be in the headline and the last,
   * unfinished one is a prefix (folded, not stemmed); best matches first, newer among equals.
   */
  public List<Suggestion> suggest(String typed, int limit) {
    List<String> tokens = new ArrayList<>();
    try (var stream = words.tokenStream(TITLE_WORDS, typed)) {
      var term =
          stream.addAttribute(org.apache.lucene.analysis.tokenattributes.CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken() && tokens.size() < 8) {
        tokens.add(term.toString());
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (tokens.isEmpty()) {
      return List.of();
    }
    boolean unfinished =
        !typed.isEmpty() && Character.isLetterOrDigit(typed.charAt(typed.length() - 1));
    BooleanQuery.Builder query = new BooleanQuery.Builder();
    for (int i = 0; i < tokens.size(); i++) {
      Term t = new Term(TITLE_WORDS, tokens.get(i));
      boolean last = i == tokens.size() - 1;
      query.add(
          last && unfinished ? new org.apache.lucene.search.PrefixQuery(t) : new TermQuery(t),
          BooleanClause.Occur.MUST);
    }
    org.apache.lucene.search.Sort sort =
        new org.apache.lucene.search.Sort(
            org.apache.lucene.search.SortField.FIELD_SCORE,
            new org.apache.lucene.search.SortField(
                PUBLISHED, org.apache.lucene.search.SortField.Type.LONG, true));
    return withSearcher(
        searcher -> {
          List<Suggestion> found = new ArrayList<>();
          for (ScoreDoc hit : searcher.search(query.build(), limit, sort).scoreDocs) {
            Document doc = searcher.storedFields().document(hit.doc);
            found.add(new Suggestion(Long.parseLong(doc.get(ID)), doc.get(HEADLINE)));
          }
          return found;
        });
  }

  /** Ids of the best matches for the words, best first. */
  public List<Long> search(String typed, int limit) {
    String text = firstWords(typed);
    List<Long> all = withSearcher(searcher -> ids(searcher, searcher.search(parse(text), limit)));
    return !all.isEmpty()
        ? all
        : withSearcher(searcher -> ids(searcher, searcher.search(parseAny(text), limit)));
  }

  /**
   * "More Articles" for an article: similar text, the same named people, places and organisations,
   * shared tags, and near in time; candidates far below the best are dropped.
   */
  public List<Related> related(long articleId, int limit) {
    return withSearcher(
        searcher -> {
          TopDocs self = searcher.search(new TermQuery(new Term(ID, Long.toString(articleId))), 1);
          if (self.scoreDocs.length == 0) {
            return List.<Related>of();
          }
          Document doc = searcher.storedFields().document(self.scoreDocs[0].doc);
          MoreLikeThis mlt = new MoreLikeThis(searcher.getIndexReader());
          mlt.setAnalyzer(analyzer);
          mlt.setFieldNames(new String[] {HEADLINE, DECK, BODY});
          mlt.setMinTermFreq(1);
          mlt.setMinDocFreq(1);
          mlt.setMaxQueryTerms(30);
          mlt.setBoost(true);
          Map<String, java.util.Collection<Object>> fields = new LinkedHashMap<>();
          fields.put(HEADLINE, List.of(doc.get(HEADLINE), doc.get(HEADLINE)));
          fields.put(DECK, List.of(doc.get(DECK)));
          fields.put(BODY, List.of(doc.get(BODY)));
          BooleanQuery.Builder query = new BooleanQuery.Builder();
          query.add(mlt.like(fields), BooleanClause.Occur.SHOULD);
          for (String entity : doc.getValues(ENTITY)) {
            query.add(
                new BoostQuery(new TermQuery(new Term(ENTITY, entity)), 1.5f),
                BooleanClause.Occur.SHOULD);
          }
          for (String tag : doc.getValues(TAG)) {
            query.add(
                new BoostQuery(new TermQuery(new Term(TAG, tag)), 0.5f),
                BooleanClause.Occur.SHOULD);
          }
          query.add(
              new TermQuery(new Term(ID, Long.toString(articleId))), BooleanClause.Occur.MUST_NOT);
          Instant published =
              Instant.ofEpochMilli(doc.getField(PUBLISHED).numericValue().longValue());
          TopDocs hits = searcher.search(query.build(), Math.max(limit * 4, 20));
          // Names that most articles share (the paper's own city) say nothing about the story.
          int docs = searcher.getIndexReader().numDocs();
          Set<String> names = new java.util.HashSet<>();
          for (String name : doc.getValues(ENTITY)) {
            if (searcher.getIndexReader().docFreq(new Term(ENTITY, name))
                <= Math.max(3, docs / 5)) {
              names.add(name);
            }
          }
          List<Scored> ranked = new ArrayList<>();
          for (ScoreDoc hit : hits.scoreDocs) {
            // Doc values only: loading stored documents here would decompress whole blocks.
            Instant when = Instant.ofEpochMilli(longValue(searcher, hit.doc, PUBLISHED));
            double days = Math.abs(Duration.between(published, when).toHours()) / 24.0;
            double recency = 0.8 + 0.2 * Math.exp(-days / 30.0);
            int shared = 0;
            for (String name : stringValues(searcher, hit.doc, ENTITY)) {
              if (names.contains(name)) {
                shared++;
              }
            }
            ranked.add(
                new Scored(longValue(searcher, hit.doc, ID_VALUE), hit.score * recency, shared));
          }
          ranked.sort((x, y) -> Double.compare(y.score(), x.score()));
          double best = ranked.isEmpty() ? 0 : ranked.getFirst().score();
          return ranked.stream()
              .filter(r -> r.score() >= best * 0.35)
              .limit(limit)
              .map(
                  r ->
                      new Related(
                          r.id(), r.score(), r.score() >= best * 0.5 && r.sharedNames() >= 2))
              .toList();
        });
  }

  public int size() {
    return withSearcher(searcher -> searcher.getIndexReader().numDocs());
  }

  /** A numeric doc value of one document (every indexed article has them). */
  private static long longValue(IndexSearcher searcher, int doc, String field) throws IOException {
    var leaves = searcher.getIndexReader().leaves();
    var leaf = leaves.get(org.apache.lucene.index.ReaderUtil.subIndex(doc, leaves));
    var values = org.apache.lucene.index.DocValues.getNumeric(leaf.reader(), field);
    if (!values.advanceExact(doc - leaf.docBase)) {
      throw new IllegalStateException("Document " + doc + " has no " + field);
    }
    return values.longValue();
  }

  private static List<String> stringValues(IndexSearcher searcher, int doc, String field)
      throws IOException {
    var leaves = searcher.getIndexReader().leaves();
    var leaf = leaves.get(org.apache.lucene.index.ReaderUtil.subIndex(doc, leaves));
    var values = org.apache.lucene.index.DocValues.getSortedSet(leaf.reader(), field);
    List<String> out = new ArrayList<>();
    if (values.advanceExact(doc - leaf.docBase)) {
      for (int i = 0; i < values.docValueCount(); i++) {
        out.add(values.lookupOrd(values.nextOrd()).utf8ToString());
      }
    }
    return out;
  }

  private static List<Long> ids(IndexSearcher searcher, TopDocs hits) throws IOException {
    List<Long> ids = new ArrayList<>();
    for (ScoreDoc hit : hits.scoreDocs) {
      ids.add(longValue(searcher, hit.doc, ID_VALUE));
    }
    return ids;
  }

  @FunctionalInterface
  interface SearcherWork<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  <T> T withSearcher(SearcherWork<T> work) {
    try {
      SearcherManager searchers = store.searchers();
      IndexSearcher searcher;
      try {
        searcher = searchers.acquire();
      } catch (org.apache.lucene.store.AlreadyClosedException swapped) {
        // A rebuilt index took over between reading the store and acquiring: use the new one.
        searchers = store.searchers();
        searcher = searchers.acquire();
      }
      try {
        return work.apply(searcher);
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    Store s = store;
    if (s != null) {
      close(s);
    }
  }
}
