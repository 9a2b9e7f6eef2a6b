// Vant, one component at a time (JS and CSS), so the first screen stays small.
import 'vant/es/style/base.css'
import 'vant/es/nav-bar/style/index'
import 'vant/es/tabbar/style/index'
import 'vant/es/tabbar-item/style/index'
import 'vant/es/cell/style/index'
import 'vant/es/cell-group/style/index'
import 'vant/es/tag/style/index'
import 'vant/es/button/style/index'
import 'vant/es/field/style/index'
import 'vant/es/radio/style/index'
import 'vant/es/radio-group/style/index'
import 'vant/es/switch/style/index'
import 'vant/es/notice-bar/style/index'
import 'vant/es/empty/style/index'
import 'vant/es/toast/style/index'
import 'vant/es/search/style/index'
import 'vant/es/checkbox/style/index'
import 'vant/es/checkbox-group/style/index'

export {
  Button,
  Cell,
  CellGroup,
  Checkbox,
  CheckboxGroup,
  Empty,
  Field,
  NavBar,
  NoticeBar,
  Radio,
  RadioGroup,
  Search,
  showToast,
  Switch,
  Tabbar,
  TabbarItem,
  Tag,
} from 'vant'
