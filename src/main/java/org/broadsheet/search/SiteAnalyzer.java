package org.broadsheet.search;

import java.util.Locale;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * Text analysis for the site's language: English gets possessives removed, stop words, Porter
 * stemming and diacritics folding (so "café" finds "cafe"); Russian uses Lucene's Russian analyser
 * (Snowball stemming), Ukrainian the Morfologik dictionary (lemmas, so "Києві" finds "Київ"); other
 * languages get standard tokenising with lower-casing and folding.
 */
final class SiteAnalyzer {

  private SiteAnalyzer() {}

  static Analyzer forLanguage(Locale language) {
    return switch (language.getLanguage()) {
      case "ru" -> new RussianAnalyzer();
      case "uk" -> new org.apache.lucene.analysis.uk.UkrainianMorfologikAnalyzer();
      case "en" ->
          new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
              Tokenizer source = new StandardTokenizer();
              TokenStream stream = new EnglishPossessiveFilter(source);
              stream = new LowerCaseFilter(stream);
              stream = new ASCIIFoldingFilter(stream);
              stream = new StopFilter(stream, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
              stream = new PorterStemFilter(stream);
              return new TokenStreamComponents(source, stream);
            }

            @Override
            protected TokenStream normalize(String fieldName, TokenStream in) {
              return new ASCIIFoldingFilter(new LowerCaseFilter(in));
            }
          };
      default ->
          new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
              Tokenizer source = new StandardTokenizer();
              TokenStream stream = new ASCIIFoldingFilter(new LowerCaseFilter(source));
              return new TokenStreamComponents(source, stream);
            }
          };
    };
  }
}
