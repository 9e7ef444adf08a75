import { createApp } from 'vue'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import './style.css'
import App from './App.vue'
import { router } from './router'
import { setUnauthorizedHandler } from './api/client'
import { session } from './api/session'
import { installScrollHints } from './scrollHint'

setUnauthorizedHandler(() => {
  session.me = null
  router.push({ path: '/login', query: { redirect: router.currentRoute.value.fullPath } })
})

createApp(App).use(router).mount('#app')
installScrollHints()
